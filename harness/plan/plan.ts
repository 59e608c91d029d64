// scenario -> plan: the contract between a scenario and the run. It lists
// the firmware images to build and, per image, the resolved op specs to run
// on it in order (with the ops they need first), the build flags, the MCU
// profile for cycles, and the run-wide settings (seed, count, limits). The
// run stage reads nothing else. A (board, library) pair the library cannot
// serve becomes `unsupported` records here, with the reason, never a silent gap.
import { boards, type Board } from '../catalog/boards.js';
import { library, resolveLibrary, type LibraryRef } from '../catalog/libraries.js';
import type { McuProfile } from '../cycles/profiles.js';
import { OPS } from '../ops/index.js';
import type { OpSpec } from '../ops/spec.js';
import { checkCyclesOption, profileFor } from '../scenario/cycles-option.js';
import type { Scenario } from '../scenario/schema.js';
import type { LibraryConfig, UserInputs } from '../ops/spec.js';

export interface PlannedOp {
  spec: OpSpec;
  /** Run only because a later op of the image needs its product: no record of its own, measured once. */
  dependencyOnly?: boolean;
}

export interface ImageJob {
  board: Board;
  library: string;
  /** The pinned version the image is built from (LIB_VERSION); undefined for an adapter that pins none. */
  libraryVersion?: string;
  ops: PlannedOp[];
  /** Compile flags: the scenario's, then those its ops need (OpSpec.cflags), e.g. -DCERTCOST_DTLS13. */
  cflags: string[];
  opt: string;
  /** MCU profile pricing this board's instructions (scenario `cycles:`): the device then runs in per-address mode. */
  mcu?: McuProfile;
  /** The deployment's own configuration of this library (scenario build.config). */
  config?: LibraryConfig;
}
export interface Unsupported {
  board: Board;
  library: string;
  libraryVersion?: string;
  op: string;
  reason: string;
}
export interface Plan {
  name: string;
  images: ImageJob[];
  unsupported: Unsupported[];
  /** Every input derives from `seed`; plain ops run `count` vectors, handshakes `count` times. */
  vectors: { seed: string; count: number; wycheproof: boolean };
  limits: { opMs: number; bootMs: number };
  /** Ops to time in the host reference library before any QEMU runs. */
  hostTiming: string[];
  /** After the run: the smallest record buffers per handshake (run/buffers.ts). */
  bufferSearch: boolean;
  /** Build options of the empty image each board's marginal flash/RAM is measured against. */
  opt: string;
  /** The scenario's order, which records are listed in whatever order they finish. */
  order: { libraries: string[]; boards: string[]; ops: string[] };
  /** The deployment's own peer, PSK and PKI (defaults: OpenSSL s_server, the test PSK and the seeded test PKI). */
  user: UserInputs;
}

export function plan(s: Scenario, user: UserInputs = { peer: s.peer }): Plan {
  checkCyclesOption(s.cycles, s.boards);
  const images: ImageJob[] = [];
  const unsupported: Unsupported[] = [];
  const refs = s.libraries.map(libraryRefOf);
  for (const ref of refs) {
    const libId = ref.id;
    const lib = library(libId);
    const at = { library: libId, ...(ref.version ? { libraryVersion: ref.version } : {}) };
    for (const boardId of s.boards) {
      const board = boards().get(boardId)!;
      let why: string | undefined;
      if (!lib.available) why = `no ${libId} adapter in this tree yet (firmware/adapters/${libId})`;
      else if (lib.cores && !lib.cores.includes(board.core)) why = `${libId} does not run on ${board.core}${lib.coresWhy ? `: ${lib.coresWhy}` : ''}`;
      if (why) for (const op of s.ops) unsupported.push({ board, ...at, op, reason: why });
      else {
        const specs: OpSpec[] = [];
        for (const op of s.ops) {
          const spec = OPS.get(op)!;
          if (spec.libraries && !spec.libraries.only.includes(libId)) unsupported.push({ board, ...at, op, reason: spec.libraries.why });
          else specs.push(spec);
        }
        const mcu = s.cycles ? profileFor(s.cycles, board) : undefined;
        const config = user.libraryConfigs?.[libId];
        for (const job of imagesFor(board, libId, specs, s.build.cflags)) images.push({ ...job, ...at, opt: s.build.opt, mcu, ...(config ? { config } : {}) });
      }
    }
  }
  return {
    name: s.name,
    images,
    unsupported,
    vectors: { seed: s.vectors.seed, count: s.vectors.count, wycheproof: s.vectors.wycheproof },
    limits: { opMs: s.limits.opSeconds * 1000, bootMs: s.limits.bootSeconds * 1000 },
    hostTiming: s.hostTiming ? [...s.ops] : [],
    bufferSearch: s.bufferSearch,
    opt: s.build.opt,
    order: { libraries: refs.map((r) => (r.version ? `${r.id}@${r.version}` : r.id)), boards: [...s.boards], ops: [...s.ops] },
    user,
  };
}

/** A scenario's `libraries:` entry at its version (the schema has already refused unknown ones). */
export function libraryRefOf(entry: string): LibraryRef {
  const r = resolveLibrary(entry);
  if ('error' in r) throw new Error(r.error);
  return r;
}

/** The library of a job or an unsupported entry as the record carries it. */
export const refOf = (x: { library: string; libraryVersion?: string }): LibraryRef => ({ id: x.library, version: x.libraryVersion });

/** One image per set of build flags (the scenario's, then what each op asks for), in the scenario's op order, each op after the ops it needs. */
function imagesFor(board: Board, libId: string, specs: OpSpec[], scenarioFlags: string[]): Omit<ImageJob, 'opt' | 'mcu'>[] {
  const byFlags = new Map<string, Omit<ImageJob, 'opt' | 'mcu'>>();
  const flagsOf = (spec: OpSpec) => [...new Set([...scenarioFlags, ...(spec.cflags ?? [])])];
  for (const spec of specs) {
    const cflags = flagsOf(spec);
    const k = cflags.join(' ');
    let job = byFlags.get(k);
    if (!job) byFlags.set(k, (job = { board, library: libId, ops: [], cflags }));
    for (const need of spec.needs ?? []) {
      if (job.ops.some((o) => o.spec.id === need)) continue;
      // Listed later in the scenario: run it here, before the op that needs it, with its own record.
      const listed = specs.find((x) => x.id === need && flagsOf(x).join(' ') === k);
      job.ops.push(listed ? { spec: listed } : { spec: OPS.get(need)!, dependencyOnly: true });
    }
    if (!job.ops.some((o) => o.spec.id === spec.id)) job.ops.push({ spec });
  }
  return [...byFlags.values()];
}
