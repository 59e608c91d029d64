// The scenario's `cycles:` option: which MCU profile prices each board's
// instructions (harness/cycles, data/mcu-profiles.yaml).
//
//   cycles: { profile: nrf52840 }                   one MCU profile for every board
//   cycles: { profile: default }                    each board's default (data/mcu-profiles.yaml)
//   cycles: { profile: { microbit: nrf51822, mps2-an386: nrf52840 } }   per board
//   cycles: { profile: my-mcu, profiles: { my-mcu: {...} } }   a profile of the user's
//   cycles: { profile: default, profilesFile: my-mcus.yaml }   a file of them (+ defaults)
//
// A profile must fit the board's instruction set: same core, or a
// Cortex-M0+ profile on the Cortex-M0 board (same ARMv6-M code; QEMU 7.2
// has no M0+ machine).
import { z } from 'zod';
import { boards, type Board } from '../catalog/boards.js';
import { UserError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { defaultProfileFor, loadProfiles, mcuProfile, type McuProfile } from '../cycles/profiles.js';

const profileName = z.string().refine((p) => p === 'default' || loadProfiles().has(p), { error: (iss) => `unknown cycle profile '${String(iss.input)}'${didYouMean(String(iss.input), [...loadProfiles().keys()])} (known: ${[...loadProfiles().keys()].join(', ')})` });

export const CyclesOptionSchema = z.strictObject({
  profile: z.union([profileName, z.record(z.string(), profileName)]),
  /** The user's own MCU profiles, as data/mcu-profiles.yaml's `profiles:` (checked and registered when the scenario loads: scenario/user-catalog.ts). */
  profiles: z.record(z.string(), z.unknown()).optional(),
  /** A file of them relative to the scenario, with `profiles:` and optional `defaults:` (board -> profile). */
  profilesFile: z.string().min(1).max(1024).optional(),
});
export type CyclesOption = z.infer<typeof CyclesOptionSchema>;

export function fits(p: McuProfile, board: Board): boolean {
  return p.core === board.core || (p.core === 'cortex-m0plus' && board.core === 'cortex-m0');
}

/** The profile for a board, or undefined when a per-board map leaves it out. */
export function profileFor(opt: CyclesOption, board: Board): McuProfile | undefined {
  let name = typeof opt.profile === 'string' ? opt.profile : opt.profile[board.id];
  if (name === 'default') name = defaultProfileFor(board.id);
  if (!name) return undefined;
  const p = mcuProfile(name);
  if (!fits(p, board)) throw new UserError(`cycle profile '${name}' is a ${p.core} part; board ${board.id} runs ${board.core} code (give a per-board map: cycles: { profile: { ${board.id}: <profile> } })`);
  return p;
}

/** Fails before anything runs if a profile does not fit a board of the scenario. */
export function checkCyclesOption(opt: CyclesOption | undefined, boardIds: string[]): void {
  if (!opt) return;
  const scenarioBoards = boardIds.map((id) => boards().get(id)!).filter(Boolean);
  if (typeof opt.profile !== 'string') {
    const ids = new Set(scenarioBoards.map((b) => b.id));
    for (const b of Object.keys(opt.profile)) if (!ids.has(b)) throw new UserError(`cycles.profile names board '${b}', which is not in the scenario`);
  }
  for (const b of scenarioBoards) profileFor(opt, b);
}
