import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { DerError, ecdsaDerToRaw, parseEcdsaSig, p256SpkiPoint, readTlv } from '../../harness/wycheproof/der.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const h = (b: Uint8Array) => Buffer.from(b).toString('hex');
// An independent DER encoder for the cases below: noble's own.
const sk = p256.utils.randomSecretKey();
const raw = p256.sign(new Uint8Array(32).fill(7), sk, { prehash: false });
const der = p256.Signature.fromBytes(raw).toBytes('der');
const int = (hexValue: string) => { const v = hex(hexValue); return [0x02, v.length, ...v]; };
const seq = (...items: number[][]) => { const body = items.flat(); return Uint8Array.from([0x30, body.length, ...body]); };
const R = '01' + '22'.repeat(31);
const S = '03' + '44'.repeat(31);

describe('strict DER: ECDSA signatures', () => {
  it('accepts canonical DER and yields r||s', () => {
    expect(h(ecdsaDerToRaw(der))).toBe(h(raw));
    expect(h(ecdsaDerToRaw(seq(int(R), int(S))))).toBe(R + S);
  });

  it('accepts high-bit values with exactly one zero pad, and small and zero values', () => {
    const hi = 'ff'.repeat(32);
    expect(h(ecdsaDerToRaw(seq(int('00' + hi), int('01'))))).toBe(hi + '00'.repeat(31) + '01');
    expect(parseEcdsaSig(seq(int('00'), int('7f')))).toEqual({ r: 0n, s: 0x7fn });
  });

  const reject: [string, Uint8Array][] = [
    ['non-minimal length: long form for a short length', Uint8Array.from([0x30, 0x81, ...seq(int(R), int(S)).subarray(1)])],
    ['non-minimal length: leading zero length byte', Uint8Array.from([0x30, 0x82, 0x00, ...seq(int(R), int(S)).subarray(1)])],
    ['indefinite length', Uint8Array.from([0x30, 0x80, ...int(R), ...int(S), 0, 0])],
    ['superfluous leading zero', seq(int('00' + R), int(S))],
    ['two leading zeros on a high value', seq(int('0000' + 'ff'.repeat(32)), int(S))],
    ['missing zero pad (negative r)', seq(int('ff'.repeat(32)), int(S))],
    ['negative s', seq(int(R), int('ff'))],
    ['empty INTEGER', seq([0x02, 0x00], int(S))],
    ['trailing byte after the SEQUENCE', Uint8Array.from([...seq(int(R), int(S)), 0x00])],
    ['SET instead of SEQUENCE', Uint8Array.from([0x31, ...seq(int(R), int(S)).subarray(1)])],
    ['OCTET STRING instead of INTEGER', seq([0x04, ...int(R).slice(1)], int(S))],
    ['three INTEGERs', seq(int(R), int(S), int('01'))],
    ['one INTEGER', seq(int(R))],
    ['length past the end', Uint8Array.from([0x30, 0x50, ...int(R), ...int(S)])],
    ['garbage inside the SEQUENCE', seq(int(R), int(S), [0x00])],
    ['high tag number form', Uint8Array.from([0x3f, 0x01, 0x00])],
  ];
  for (const [what, bytes] of reject) {
    it(`rejects ${what}`, () => {
      expect(() => ecdsaDerToRaw(bytes)).toThrow(DerError);
    });
  }

  it('parses but refuses to squeeze an integer wider than 32 bytes', () => {
    const wide = seq(int('01' + '00'.repeat(32)), int(S));
    expect(parseEcdsaSig(wide).r).toBe(1n << 256n);
    expect(() => ecdsaDerToRaw(wide)).toThrow(/wider than 32/);
  });

  it('reads long-form lengths exactly', () => {
    const body = new Uint8Array(200).fill(9);
    const t = readTlv(Uint8Array.from([0x04, 0x81, 200, ...body]), 0);
    expect(t.value.length).toBe(200);
    expect(t.end).toBe(203);
  });
});

describe('strict DER: P-256 SubjectPublicKeyInfo', () => {
  const pub = p256.getPublicKey(sk, false);
  const jwk = { kty: 'EC', crv: 'P-256', x: Buffer.from(pub.subarray(1, 33)).toString('base64url'), y: Buffer.from(pub.subarray(33)).toString('base64url') };
  const spki = new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));

  it('extracts the uncompressed point from node:crypto\'s SPKI', () => {
    expect(h(p256SpkiPoint(spki))).toBe(h(pub));
  });
  it('rejects another curve', () => {
    const other = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' }));
    expect(() => p256SpkiPoint(other)).toThrow(DerError);
  });
  it('rejects a compressed point', () => {
    const c = p256.getPublicKey(sk, true);
    const bits = [0x03, c.length + 1, 0x00, ...c];
    const alg = [...spki.subarray(2, 2 + 2 + spki[3]!)];
    const body = [...alg, ...bits];
    expect(() => p256SpkiPoint(Uint8Array.from([0x30, body.length, ...body]))).toThrow(/uncompressed/);
  });
  it('rejects trailing bytes and unused bits', () => {
    expect(() => p256SpkiPoint(Uint8Array.from([...spki, 0]))).toThrow(DerError);
    const odd = new Uint8Array(spki);
    odd[spki.length - 66] = 1; // the BIT STRING's unused-bits byte
    expect(() => p256SpkiPoint(odd)).toThrow(/unused bits/);
  });
});
