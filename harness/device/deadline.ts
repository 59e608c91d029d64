// Every emulator run has a deadline, and none of it depends on how busy the
// host is. Before an op has been seen, the scenario's limit applies (wall
// clock). After that, the op also gets a budget of QEMU's own CPU time: a
// generous multiple of the most instructions it has needed, at the slowest
// speed (instructions per CPU millisecond) this device has shown, plus fixed
// slack. CPU time, not wall time: a loaded machine stretches wall time
// without the guest doing more work, while a guest looping forever burns CPU
// time at full speed, so it is cut off in seconds, not after the scenario's
// limit, and a slow host never turns a measurement into a timeout.
// A verdict-only op (a Wycheproof case) is cut off sooner and exactly: the
// plugin kills QEMU when the op's bracket executes more than the same factor
// times the op's biggest count, whatever the host's speed; the CPU-time
// budget stays as the backstop.
import { readFileSync } from 'node:fs';

export const BUDGET_FACTOR = 10;
const SLACK_MS = 1500;
const FLOOR_MS = 3000;
/** Least instruction budget (time mode): tiny ops are not cut off for a few instructions' noise. */
const MIN_INSTRUCTIONS = 10_000_000;
/** /proc/<pid>/stat counts in USER_HZ ticks, 100 per second on Linux. */
const TICK_MS = 10;

/** User + system CPU time of a process in ms, or null when it is gone (or not Linux). */
export function cpuTimeMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime, stime: fields 14 and 15
  } catch {
    return null;
  }
}

export interface OpLimit {
  /** Wall-clock backstop (the scenario's op limit). */
  wallMs: number;
  /** QEMU CPU time the op may use; undefined until the op has been seen once. */
  cpuMs?: number;
  /** Instructions the op's bracket may execute (the factor times its biggest count), enforced by the plugin for verdict-only ops (device.ts VerdictOnly); undefined until the op has been seen once. */
  instructions?: number;
}

export class Deadlines {
  /** Slowest speed seen per kind of device (instructions per CPU ms): a
   *  device in addr mode runs at a third of one that only counts, and one in
   *  time mode faster still, so each is budgeted at its own speed. */
  private slowest = new Map<string, number>();
  private biggest = new Map<string, number>();

  constructor(private readonly limitMs: number) {}

  /** Record what one op took on a device of `kind`. Tiny ops say nothing about speed. */
  observe(op: string, instructions: number, cpuMs: number | null, kind = '') {
    this.biggest.set(op, Math.max(this.biggest.get(op) ?? 0, instructions));
    if (instructions >= 1_000_000 && cpuMs !== null && cpuMs > 0) this.slowest.set(kind, Math.min(this.slowest.get(kind) ?? Infinity, instructions / cpuMs));
  }

  /** Limits for the next run of `op` on a device of `kind` (until that kind has shown its speed: the slowest of any). */
  forOp(op: string, kind = ''): OpLimit {
    const n = this.biggest.get(op);
    const speed = this.slowest.get(kind) ?? Math.min(Infinity, ...this.slowest.values());
    if (n === undefined) return { wallMs: this.limitMs };
    const instructions = Math.max(MIN_INSTRUCTIONS, BUDGET_FACTOR * n);
    if (!Number.isFinite(speed)) return { wallMs: this.limitMs, instructions };
    return { wallMs: this.limitMs, cpuMs: Math.max(FLOOR_MS, SLACK_MS + (BUDGET_FACTOR * n) / speed), instructions };
  }
}
