// What the harness knows about an operation: how to make its inputs from a
// seed (so runs repeat) and how to judge the device's answer against an
// independent TypeScript reference. Op ids and byte layouts: docs/ops.md.
import type { OpResult } from '../run/link.js';
import type { Board } from '../boards.js';
import type { Scenario } from '../scenario/schema.js';
import type { ResultRecord } from '../results/schema.js';
import type { NetPeer, OpOutcome } from '../run/device.js';
import type { CountEvent } from '../measure/counts.js';
import type { CycleFields } from '../cycles/scenario.js';

export interface Vector {
  id: string;
  inputs: Uint8Array[];
  /** Counts toward the op's instruction figure (e.g. a valid signature). */
  representative: boolean;
  note?: string;
  /** Opaque reference data for check(). */
  ref?: unknown;
}

export interface Verdict {
  agree: boolean;
  detail?: string;
}

/** What an op with its own protocol gets from the runner (see OpSpec.measure). */
export interface OpContext {
  scenario: Scenario;
  board: Board;
  library: string;
  /** Run a firmware op on the (booted, seeded) device under its deadline. */
  run(firmwareOp: string, inputs: Uint8Array[], net?: NetPeer): Promise<OpOutcome>;
  progress(msg: string): void;
  /** Cycle figures for count events of this image (scenario `cycles:`; the device then runs in addr mode), else undefined. */
  cycles(events: CountEvent[]): CycleFields | undefined;
}

export interface OpSpec {
  id: string;
  summary: string;
  /** The op name in the firmware's table, when it differs from `id`
   *  (e.g. every DTLS variant runs the firmware op `dtls-client`). */
  firmwareOp?: string;
  vectors(seed: string, count: number): Vector[];
  check(v: Vector, r: OpResult): Verdict;
  /** Ops that need more than inputs -> outputs (a network peer, several
   *  phases) fill the record themselves; `vectors`/`check` are then unused. */
  measure?(ctx: OpContext, rec: ResultRecord): Promise<void>;
  /** Compile flags its image needs on top of the scenario's (the plan builds such ops an image of their own). */
  cflags?: string[];
  /** Libraries that can run it at all; the plan reports the others unsupported with `why`, without building for them. */
  libraries?: { only: string[]; why: string };
}

export const CC_OK = 0;
export const CC_VERDICT_REJECT = 1;
export const CC_ERR_NOMEM = -1002;
export const CC_ERR_UNSUPPORTED = -1003;
export const STATUS_NAMES: Record<number, string> = { 0: 'ok', 1: 'reject', [-1000]: 'bad inputs', [-1001]: 'output too large', [-1002]: 'out of memory', [-1003]: 'unsupported' };
export const statusName = (s: number) => STATUS_NAMES[s] ?? `library error ${s} (-0x${(-s).toString(16)})`;
