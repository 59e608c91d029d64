// Every emulator run has a deadline. Before an op has been seen, the
// scenario's limit applies; after that, the deadline follows the op's own
// instruction budget: a generous multiple of the most it has needed, at the
// slowest emulation speed this device has shown, plus fixed slack for the
// link. A library that loops forever on some input is then cut off in
// seconds, not after the scenario's limit.
export const BUDGET_FACTOR = 10;
const SLACK_MS = 1500;
const FLOOR_MS = 3000;

export class Deadlines {
  private slowest = Infinity; // instructions per ms
  private biggest = new Map<string, number>();

  constructor(private readonly limitMs: number) {}

  /** Record what one op took. Tiny ops say nothing about speed. */
  observe(op: string, instructions: number, wallMs: number) {
    this.biggest.set(op, Math.max(this.biggest.get(op) ?? 0, instructions));
    if (instructions >= 1_000_000 && wallMs > 0) this.slowest = Math.min(this.slowest, instructions / wallMs);
  }

  /** Deadline for the next run of `op`, in ms. */
  forOp(op: string): number {
    const n = this.biggest.get(op);
    if (n === undefined || !Number.isFinite(this.slowest)) return this.limitMs;
    return Math.min(this.limitMs, Math.max(FLOOR_MS, SLACK_MS + (BUDGET_FACTOR * n) / this.slowest));
  }
}
