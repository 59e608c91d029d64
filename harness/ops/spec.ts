// What the harness knows about an operation: how to make its inputs from a
// seed (so runs repeat) and how to judge the device's answer against an
// independent TypeScript reference, or, for ops with a protocol of their own
// (handshakes, revocation), the procedure that measures them. The plan
// resolves these specs; the run stage only calls them. Op ids and byte
// layouts: docs/ops.md.
import type { OpResult } from '../device/link.js';
import type { Board } from '../catalog/boards.js';
import type { ResultRecord } from '../record/schema.js';
import type { NetPeer, OpOutcome } from '../device/device.js';
import type { CountEvent } from '../device/counts.js';
import type { CycleFields } from '../cycles/fields.js';
import type { Vector } from '../vectors/vector.js';
import type { UserPki } from '../pki/user-pki.js';

/** Which DTLS peer the handshakes talk to (a scenario's `peer:`). */
export interface PeerChoice {
  kind: 'openssl' | 'gnutls' | 'wolfssl' | 'tinydtls' | 'external';
  host?: string;
  port?: number;
  name?: string;
}

/** A library configuration file of the user's (scenario build.config), checked when loaded. */
export interface LibraryConfig {
  /** Absolute path, for the build. */
  path: string;
  /** As the scenario names it, for records. */
  file: string;
  mode: 'overlay' | 'replace';
  sha256: string;
}

/** What a scenario brings of its own deployment, read and checked when it is loaded. */
export interface UserInputs {
  peer: PeerChoice;
  psk?: { identity: string; key: Uint8Array };
  pki?: UserPki;
  /** Per library id (mbedtls, wolfssl, ...): its configuration file. */
  libraryConfigs?: Record<string, LibraryConfig>;
}

export interface Verdict {
  agree: boolean;
  detail?: string;
}

/** What an op with its own protocol gets from the runner (see OpSpec.measure). */
export interface OpContext {
  board: Board;
  library: string;
  /** The seed every input derives from, and how many times to measure (vectors, handshakes). */
  seed: string;
  count: number;
  /** One object per run: the key for run-wide caches (the PKI of each depth). */
  scope: object;
  /** The deployment's own peer, PSK and PKI, when the scenario brings them. */
  user: UserInputs;
  /** Run a firmware op on the (booted, seeded) device under its deadline. */
  run(firmwareOp: string, inputs: Uint8Array[], net?: NetPeer): Promise<OpOutcome>;
  progress(msg: string): void;
  /** Cycle figures for count events of this image (scenario `cycles:`; the device then runs in addr mode), else undefined. */
  cycles(events: CountEvent[]): CycleFields | undefined;
  /** What an op named in this op's `needs` produced on this image (its measure()'s return value); rejects with its failure. */
  needed<T = unknown>(opId: string): Promise<T>;
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
   *  phases) fill the record themselves; `vectors`/`check` are then unused.
   *  What it returns is kept for the ops that name this one in `needs`. */
  measure?(ctx: OpContext, rec: ResultRecord): Promise<unknown>;
  /** Ops whose product this op reads (ctx.needed): the plan runs them first
   *  on the same image, once with count 1 when the scenario does not list them. */
  needs?: string[];
  /** Compile flags its image needs on top of the scenario's (the plan builds such ops an image of their own). */
  cflags?: string[];
  /** Libraries that can run it at all; the plan reports the others unsupported with `why`, without building for them. */
  libraries?: { only: string[]; why: string };
}
