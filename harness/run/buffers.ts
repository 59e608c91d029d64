// The record buffers users fight with (scenario `bufferSearch: true`): for
// each DTLS handshake variant of an mbedTLS image, the smallest
// MBEDTLS_SSL_IN_CONTENT_LEN and MBEDTLS_SSL_OUT_CONTENT_LEN with which the
// handshake still completes, and the RAM that saves. Sizes climb a ladder
// (one image per size, every variant still open tried on it, once); then
// each variant runs once more at both its smallest sizes, to measure the
// heap it needs there. wolfSSL sizes its buffers to each record at run time
// and tinydtls has one fixed datagram buffer: nothing to search there.
import type { ResultRecord } from '../record/schema.js';
import type { ImageJob, Plan } from '../plan/plan.js';
import { runPlan } from './suite.js';

/** The sizes tried, ascending (bytes of record plaintext). */
export const LADDER = [256, 384, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 4096];
export const KNOBS = [
  { name: 'MBEDTLS_SSL_IN_CONTENT_LEN', field: 'inContentLen' },
  { name: 'MBEDTLS_SSL_OUT_CONTENT_LEN', field: 'outContentLen' },
] as const;
/** The adapter's defaults (firmware/adapters/mbedtls/certcost_mbedtls*_config.h). */
const DEFAULTS: Record<string, number> = { MBEDTLS_SSL_IN_CONTENT_LEN: 3072, MBEDTLS_SSL_OUT_CONTENT_LEN: 2048 };

export interface BufferSearch {
  knobs: { name: string; default: number; smallest: number | null }[];
  /** Heap peak of the handshake at the defaults, and at the smallest sizes together. */
  heapAtDefault: number | null;
  heapAtSmallest: number | null;
  /** RAM the smallest sizes save: heap peak + static RAM, default minus smallest. */
  savedBytes: number | null;
  note: string;
}

type Progress = (msg: string) => void;

/** Runs the ops of `job` once each on an image built with `extra` flags; the records by op. */
async function probe(p: Plan, job: ImageJob, ops: string[], extra: string[], progress: Progress): Promise<Map<string, ResultRecord>> {
  const out = new Map<string, ResultRecord>();
  const sub: Plan = {
    ...p, unsupported: [], hostTiming: [], vectors: { ...p.vectors, count: 1, wycheproof: false },
    images: [{ ...job, mcu: undefined, cflags: [...job.cflags, ...extra], ops: job.ops.filter((o) => ops.includes(o.spec.id) || o.dependencyOnly) }],
  };
  await runPlan(sub, { onRecord: (r) => out.set(r.op, r), onProgress: progress });
  return out;
}

const isHandshake = (op: string) => op.startsWith('dtls-') && !op.startsWith('dtls-whatif-') && !op.startsWith('dtls-v13-');

/** The search for every mbedTLS image job of the plan: record key -> result. */
export async function searchBuffers(p: Plan, records: ResultRecord[], progress: Progress): Promise<Map<ResultRecord, BufferSearch>> {
  const found = new Map<ResultRecord, BufferSearch>();
  for (const job of p.images.filter((j) => j.library.startsWith('mbedtls'))) {
    const recs = records.filter((r) => r.board === job.board.id && r.library === job.library && r.libraryVersion === job.libraryVersion && isHandshake(r.op) && r.status === 'ok');
    if (!recs.length) continue;
    const smallest = new Map<string, Map<string, number | null>>(); // knob -> op -> size
    for (const knob of KNOBS) {
      const best = new Map<string, number | null>(recs.map((r) => [r.op, null]));
      for (const size of LADDER.filter((s) => s <= DEFAULTS[knob.name]!)) {
        const open = [...best].filter(([, v]) => v === null).map(([op]) => op);
        if (!open.length) break;
        progress(`buffers ${job.board.id}/${job.library}: ${knob.name}=${size} (${open.length} variant(s))`);
        const got = await probe(p, job, open, [`-D${knob.name}=${size}`], progress);
        for (const op of open) if (got.get(op)?.status === 'ok') best.set(op, size);
      }
      smallest.set(knob.name, best);
    }
    for (const r of recs) {
      const sizes = KNOBS.map((k) => ({ name: k.name, default: DEFAULTS[k.name]!, smallest: smallest.get(k.name)!.get(r.op) ?? null }));
      let heapAtSmallest: number | null = null, saved: number | null = null;
      if (sizes.every((s) => s.smallest !== null)) {
        const got = (await probe(p, job, [r.op], sizes.map((s) => `-D${s.name}=${s.smallest}`), progress)).get(r.op);
        if (got?.status === 'ok' && got.heapBytes !== null && r.heapBytes !== null) {
          heapAtSmallest = got.heapBytes;
          saved = r.heapBytes + (r.ramBytes ?? 0) - (got.heapBytes + (got.ramBytes ?? 0));
        }
      }
      found.set(r, {
        knobs: sizes, heapAtDefault: r.heapBytes, heapAtSmallest, savedBytes: saved,
        note: `smallest size on the ladder ${LADDER.join('/')} with which the handshake completes, one knob at a time (the other at its default); mbedTLS allocates both buffers on the heap at ssl_setup, so the saving shows in the heap peak`,
      });
    }
  }
  return found;
}
