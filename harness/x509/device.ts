// The device side of the certificate ops: input encodings (docs/ops.md,
// "Certificates"), the verdict bits they answer with, setting the device
// clock and uploading a blob bigger than one link frame.
import type { OpOutcome } from '../device/device.js';
import type { NetPeer } from '../device/device.js';
import { CC_OK, statusName } from '../contract/status.js';
import { concat } from '../core/bytes.js';

export type RunOp = (op: string, inputs: Uint8Array[], net?: NetPeer) => Promise<OpOutcome>;

const u32be = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
};

export function verifyChainInputs(o: { flags?: number; trust: Uint8Array[]; chain: Uint8Array[]; crl?: Uint8Array }): Uint8Array[] {
  return [u32be(o.flags ?? 0), concat(...o.trust), concat(...o.chain), o.crl ?? new Uint8Array(0)];
}

export interface VerifyAnswer {
  status: number;
  accepted: boolean;
  bits: number;
  /** Library's own flags (mbedTLS) or error code (wolfSSL), as u32. */
  raw: number;
  instructions: number | null;
  heapBytes: number;
  stackBytes: number;
}

export function decodeVerify(out: OpOutcome): VerifyAnswer {
  const r = out.result;
  const word = (i: number) => (r.outputs[i]?.length === 4 ? new DataView(r.outputs[i]!.buffer, r.outputs[i]!.byteOffset, 4).getUint32(0) : 0);
  return { status: r.status, accepted: r.status === CC_OK, bits: word(0), raw: word(1), instructions: out.count?.instructions ?? null, heapBytes: r.heapBytes, stackBytes: r.stackBytes };
}

/** The device's calendar clock (core op set-time): i64 LE Unix seconds; 0 = no clock. */
export async function setTime(run: RunOp, unixSeconds: number): Promise<void> {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(Math.floor(unixSeconds)), true);
  const r = (await run('set-time', [b])).result;
  if (r.status !== CC_OK) throw new Error(`set-time failed: ${statusName(r.status)}`);
}

const u32le = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};

/**
 * Upload `bytes` into the device's blob in link-sized pieces. Returns the
 * blob-alloc status: CC_OK, or CC_ERR_NOMEM when the board's heap cannot
 * hold it (nothing is sent then).
 */
export async function uploadBlob(run: RunOp, bytes: Uint8Array, linkMax: number): Promise<number> {
  const alloc = (await run('blob-alloc', [u32le(bytes.length)])).result.status;
  if (alloc !== CC_OK) return alloc;
  const chunk = linkMax - 32; // OP frame: name, counts and lengths
  for (let off = 0; off < bytes.length; off += chunk) {
    const st = (await run('blob-write', [u32le(off), bytes.subarray(off, off + chunk)])).result.status;
    if (st !== CC_OK) throw new Error(`blob-write at ${off} failed: ${statusName(st)}`);
  }
  return CC_OK;
}

export async function freeBlob(run: RunOp): Promise<void> {
  await run('blob-free', []);
}
