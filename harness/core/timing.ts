// Where a run's wall time goes (`certcost run` prints it; results.json keeps
// it as `timing`). Every stretch of harness work is charged to one phase,
// exclusively: a phase entered inside another is taken out of the outer one,
// and what no phase claims is `other`. Each image has an account of its own
// and the run has one for what is not an image's (host timing, the empty
// images); AsyncLocalStorage carries the current account through the async
// calls, so images running side by side (--jobs) never mix. Nothing here
// touches a measurement: it only reads the clock.
import { AsyncLocalStorage } from 'node:async_hooks';

export const PHASES = {
  build: 'make of the firmware images (a no-op make when up to date)',
  boot: 'QEMU start-up to the firmware\'s HELLO, and its seeding',
  link: 'device ops outside their measured bracket: frames over the UART, the firmware\'s own framing and checks, reading the counts',
  emulation: 'inside counted brackets (the measured work itself; wall clock, from the plugin)',
  profile: 'per-address mode (cycles): the plugin writing each op\'s profile and the harness reading it',
  verdicts: 'inside the brackets of ops run only for their answer, without counting (Wycheproof cases)',
  reference: 'host-side inputs and checks: seeded vectors, the reference verdicts (noble, node:crypto), Wycheproof judging, the cycle model',
  peer: 'starting and stopping host peers (DTLS servers, EDHOC responder)',
  wait: 'device paused for its network peer: waiting for datagrams (DTLS, EDHOC, OCSP)',
  failures: 'device ops that ended in a fault, a hang cut off by its deadline or a broken link: from the request to the failure',
  host: 'host timing of the ops in the reference library (tinybench)',
  other: 'everything else: harness bookkeeping, records, reboots after failures beyond the boot itself',
} as const;
export type Phase = keyof typeof PHASES;
export const PHASE_NAMES = Object.keys(PHASES) as Phase[];

export interface GuestTally {
  /** Instructions inside counted brackets (exact). */
  counted: number;
  /** Instructions inside the brackets of verdict-only ops (time mode: per translation block, approximate). */
  verdicts: number;
  /** Instructions QEMU executed in all, as the plugin last reported them (idle polling of the UART included; a killed QEMU's last stretch is lost). */
  executed: number;
}

export interface TimingSplit {
  /** Wall clock of the account's own span (an image: build to last record). */
  wallMs: number;
  phases: Record<Phase, number>;
  guest: GuestTally;
  /** Device ops run, QEMU boots. */
  ops: number;
  boots: number;
}

const zeroPhases = () => Object.fromEntries(PHASE_NAMES.map((p) => [p, 0])) as Record<Phase, number>;

export class TimingAccount {
  readonly phases = zeroPhases();
  readonly guest: GuestTally = { counted: 0, verdicts: 0, executed: 0 };
  ops = 0;
  boots = 0;
  private t0 = performance.now();
  private t1: number | undefined;
  constructor(readonly label: string) {}

  start() { this.t0 = performance.now(); this.t1 = undefined; }
  stop() { this.t1 = performance.now(); }
  get wallMs() { return (this.t1 ?? performance.now()) - this.t0; }

  /** The split: phases as charged, `other` the wall clock they leave. */
  split(): TimingSplit {
    const phases = { ...this.phases };
    const claimed = PHASE_NAMES.filter((p) => p !== 'other').reduce((n, p) => n + phases[p], 0);
    phases.other += Math.max(0, this.wallMs - claimed - phases.other);
    return { wallMs: this.wallMs, phases, guest: { ...this.guest }, ops: this.ops, boots: this.boots };
  }
}

interface Frame {
  account: TimingAccount;
  /** The phase of the enclosing timed() stretch, if any. */
  phase?: Phase;
  /** Absorb: device work inside this stretch is charged to its phase (a boot's seeding op is boot). */
  absorb?: boolean;
  /** Time already charged to phases inside this stretch. */
  inner: number;
}

const als = new AsyncLocalStorage<Frame>();

/** Runs `fn` with `account` as the current account. */
export function withAccount<T>(account: TimingAccount, fn: () => Promise<T>): Promise<T> {
  return als.run({ account, inner: 0 }, fn);
}

export function currentAccount(): TimingAccount | undefined {
  return als.getStore()?.account;
}

/** Charges `ms` to `phase` in the current account (if any), and takes it out of the enclosing stretch. */
export function charge(phase: Phase, ms: number) {
  const f = als.getStore();
  if (!f || !(ms > 0)) return;
  f.account.phases[f.absorb && f.phase ? f.phase : phase] += ms;
  f.inner += ms;
}

/** Runs `fn` as a stretch of `phase`: its wall time, less what phases inside it claimed, is charged to `phase`. */
export async function timed<T>(phase: Phase, fn: () => Promise<T> | T, opts: { absorb?: boolean } = {}): Promise<T> {
  const outer = als.getStore();
  if (!outer) return fn();
  const frame: Frame = { account: outer.account, phase, absorb: opts.absorb || (outer.absorb ?? false), inner: 0 };
  if (frame.absorb && outer.absorb && outer.phase) frame.phase = outer.phase;
  const t0 = performance.now();
  try {
    return await als.run(frame, fn);
  } finally {
    const ms = performance.now() - t0;
    outer.account.phases[frame.phase!] += Math.max(0, ms - frame.inner);
    outer.inner += ms;
  }
}

/** The synchronous twin of timed(), for host-side work such as reference checks. */
export function timedSync<T>(phase: Phase, fn: () => T): T {
  const f = als.getStore();
  if (!f) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    charge(phase, performance.now() - t0);
  }
}

/** Adds guest instruction figures to the current account. */
export function tallyGuest(g: Partial<GuestTally>) {
  const a = currentAccount();
  if (!a) return;
  for (const k of Object.keys(g) as (keyof GuestTally)[]) a.guest[k] += g[k] ?? 0;
}

export function countOp() {
  const a = currentAccount();
  if (a) a.ops++;
}

export function countBoot() {
  const a = currentAccount();
  if (a) a.boots++;
}

/** Sum of splits (per-image splits add up to more than the run's wall clock when images run side by side). */
export function sumSplits(splits: TimingSplit[]): TimingSplit {
  const out: TimingSplit = { wallMs: 0, phases: zeroPhases(), guest: { counted: 0, verdicts: 0, executed: 0 }, ops: 0, boots: 0 };
  for (const s of splits) {
    out.wallMs += s.wallMs;
    for (const p of PHASE_NAMES) out.phases[p] += s.phases[p];
    for (const k of ['counted', 'verdicts', 'executed'] as const) out.guest[k] += s.guest[k];
    out.ops += s.ops;
    out.boots += s.boots;
  }
  return out;
}
