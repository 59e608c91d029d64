// CPU energy of an op, from its modeled ms and the MCU profile's run
// current (data/mcu-profiles.yaml `power:`):
//
//   µJ = runUaPerMhz × clock MHz × supplyVolts × ms / 1000
//
// (µA/MHz × MHz = µA; × V = µW; × ms = nJ; / 1000 = µJ.) The assumptions,
// stated wherever the figure is shown: the core draws the datasheet's run
// current at the profile's clock for the whole of the op's ms, with no sleep
// inside it (a handshake's flights are computed back to back); waits for the
// peer are not in ms, because the device sleeps while it waits, and its
// sleep current is not counted. The run current is the vendor's benchmark
// figure (CoreMark or the like), not one measured on crypto code.
import type { McuProfile } from './profiles.js';

/** The CPU energy of `ms` of work on profile `p`, in µJ; undefined when the profile has no run-current figure. */
export function cpuEnergyUj(ms: number, p: Pick<McuProfile, 'clockHz' | 'power'>): number | undefined {
  if (!p.power) return undefined;
  const uj = (p.power.runUaPerMhz * (p.clockHz / 1e6) * p.power.supplyVolts * ms) / 1000;
  // Three decimals: ms itself is rounded to 0.1 µs, and the run current is a typical figure.
  return Math.round(uj * 1000) / 1000;
}
