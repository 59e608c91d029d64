// The EDHOC domain code against RFC 9529 (Traces of EDHOC), Section 3: the
// method-3 (static-static DH) trace with cipher suite 2. The TypeScript
// reference must recompute every intermediate value of the trace from either
// side's secrets, and the byte model must cut the trace's messages into the
// items it predicts, to the byte.
import { describe, expect, it } from 'vitest';
import { CborMap, decodeItem, decodeSequence, encode, hex, unhex } from '../../harness/edhoc/cbor.js';
import { ccsCredential, idCredEncoded, idCredFull } from '../../harness/edhoc/credentials.js';
import { compareEdhoc, measuredParts, modelMessages } from '../../harness/edhoc/model.js';
import { idCredFullFromEncoded, macProblems, publicX, recompute } from '../../harness/edhoc/reference.js';
import { demangleRust } from '../../harness/elf/demangle.js';
import { categorize } from '../../harness/cycles/functions.js';
import { deviceInputs, edhocCredentials, EDHOC_IDS } from '../../harness/ops/edhoc/measure.js';
import { EDHOC_VARIANTS } from '../../harness/ops/edhoc/variants.js';
import { OPS } from '../../harness/ops/index.js';

// RFC 9529 Section 3 (method 3, the second message_1, with SUITES_I [6, 2]).
const T = {
  x: unhex('368ec1f69aeb659ba37d5a8d45b21bdc0299dceaa8ef235f3ca42ce3530f9525'),
  y: unhex('e2f4126777205e853b437d6eaca1e1f753cdcc3e2c69fa884b0a1a640977e418'),
  i: unhex('fb13adeb6518cee5f88417660841142e830a81fe334380a953406a1305e8706b'),
  r: unhex('72cc4761dbd4c78f758931aa589d348d1ef874a7e303ede2f140dcf3e6aa4aac'),
  credI: unhex('a2027734322d35302d33312d46462d45462d33372d33322d333908a101a5010202412b2001215820ac75e9ece3e50bfc8ed60399889522405c47bf16df96660a41298cb4307f7eb62258206e5de611388a4b8a8211334ac7d37ecb52a387d257e6db3c2a93df21ff3affc8'),
  credR: unhex('a2026b6578616d706c652e65647508a101a501020241322001215820bbc34960526ea4d32e940cad2a234148ddc21791a12afbcbac93622046dd44f02258204519e257236b2a0ce2023f0931f1f386ca7afda64fcde0108c224c51eabf6072'),
  message1: unhex('0382060258208af6f430ebe18d34184017a9a11bf511c8dff8f834730b96c1b7c8dbca2fc3b637'),
  message2: unhex('582b419701d7f00a26c2dc587a36dd752549f33763c893422c8ea0f955a13a4ff5d59862a1eef9e0e7e1886fcd'),
  message3: unhex('52e562097bc417dd5919485ac7891ffd90a9fc'),
  th2: '356efd53771425e008f3fe3a86c83ff4c6b16e57028ff39d5236c182b202084b',
  th3: 'adaf67a78a4bcc91e018f8882762a722000b2507039df0bc1bbf0c161bb3155c',
  th4: 'c902b1e3a4326c93c5551f5f3aa6c5ecc0246806765612e52b5d99e6059d6b6e',
  prk2e: '5aa0d69f3e3d1e0c479f0b8a486690c9802630c3466b1dc92371c982563170b5',
  prk3e2m: '0ca3d3398296b3c03900987620c11f6fce70781c1d1219720f9ec08c122d8434',
  prk4e3m: '81cc8a298e357044e3c466bb5c0a1e507e01d49238aeba138df94635407c0ff7',
  mac2: '0943305c899f5c54',
  mac3: '623c91df41e34c2f',
  plaintext2: '2732480943305c899f5c54',
  plaintext3: '2b48623c91df41e34c2f',
  prkOut: '2c71afc1a9338a940bb3529ca734b886f30d1aba0b4dc51beeaeabdfea9ecbf8',
  prkExporter: 'e14d06699cee248c5a04bf9227bbcd4ce394de7dcb56db43555474171e6446db',
  oscoreSecret: 'f9868f6a3aca78a05d1485b35030b162',
  oscoreSalt: 'ada24c7dbfc85eeb',
};
const gI = publicX(T.i), gR = publicX(T.r);
const parties = { credI: { ccs: T.credI, x: gI }, credR: { ccs: T.credR, x: gR } };
const messages = { message1: T.message1, message2: T.message2, message3: T.message3 };

describe('CBOR', () => {
  it('encodes and decodes the items EDHOC uses, shortest form', () => {
    expect(hex(encode(3))).toBe('03');
    expect(hex(encode(-24))).toBe('37');
    expect(hex(encode(-25))).toBe('3818');
    expect(hex(encode(24))).toBe('1818');
    expect(hex(encode(new Uint8Array(32)).subarray(0, 2))).toBe('5820');
    expect(hex(encode([6, 2]))).toBe('820602');
    expect(hex(encode(new CborMap([[4, Uint8Array.of(0x32)]])))).toBe('a1044132');
    expect(hex(encode('Encrypt0'))).toBe('68456e637279707430');
    const seq = decodeSequence(T.message1);
    expect(seq.map((d) => d.end - d.start)).toEqual([1, 3, 34, 1]);
    expect(decodeItem(T.credR).end).toBe(T.credR.length);
  });
});

describe('credentials: RFC 9529\'s CCS layout', () => {
  it('rebuilds the trace\'s CRED_I and CRED_R from their keys, subjects and kids', () => {
    expect(hex(ccsCredential(T.i, EDHOC_IDS.subjectI, Uint8Array.of(0x2b)).ccs)).toBe(hex(T.credI));
    expect(hex(ccsCredential(T.r, EDHOC_IDS.subjectR, Uint8Array.of(0x32)).ccs)).toBe(hex(T.credR));
  });
  it('ID_CRED by kid travels as one CBOR integer; by value as { 14: CCS }', () => {
    const r = ccsCredential(T.r, EDHOC_IDS.subjectR, Uint8Array.of(0x32));
    expect(hex(idCredFull(r, 'kid'))).toBe('a1044132');
    expect(hex(idCredEncoded(r, 'kid'))).toBe('32');
    expect(hex(idCredFullFromEncoded(unhex('32')))).toBe('a1044132');
    expect(hex(idCredFullFromEncoded(unhex('4118')))).toBe('a1044118');
    expect(idCredEncoded(r, 'kccs').length).toBe(2 + T.credR.length);
    // a kid byte that is not a one-byte CBOR int travels as a bstr
    expect(hex(idCredEncoded(ccsCredential(T.r, 's', Uint8Array.of(0x18)), 'kid'))).toBe('4118');
  });
});

describe('reference key schedule: RFC 9529 Section 3', () => {
  for (const secrets of [{ role: 'initiator' as const, x: T.x, i: T.i }, { role: 'responder' as const, y: T.y, r: T.r }]) {
    it(`recomputes every value of the trace from the ${secrets.role}'s secrets`, () => {
      const r = recompute(messages, parties, secrets);
      expect(hex(r.th2)).toBe(T.th2);
      expect(hex(r.prk2e)).toBe(T.prk2e);
      expect(hex(r.prk3e2m)).toBe(T.prk3e2m);
      expect(hex(r.th3)).toBe(T.th3);
      expect(hex(r.prk4e3m)).toBe(T.prk4e3m);
      expect(hex(r.th4)).toBe(T.th4);
      expect(hex(r.mac2.expected)).toBe(T.mac2);
      expect(hex(r.mac3.expected)).toBe(T.mac3);
      expect(macProblems(r)).toEqual([]);
      expect(r.message2.plaintext.map((p) => hex(p.bytes)).join('')).toBe(T.plaintext2);
      expect(r.message3.plaintext.map((p) => hex(p.bytes)).join('')).toBe(T.plaintext3);
      expect(hex(r.prkOut)).toBe(T.prkOut);
      expect(hex(r.prkExporter)).toBe(T.prkExporter);
      expect(hex(r.oscoreSecret)).toBe(T.oscoreSecret);
      expect(hex(r.oscoreSalt)).toBe(T.oscoreSalt);
      expect(hex(r.idCredR)).toBe('a1044132');
      expect(hex(r.idCredI)).toBe('a104412b');
    });
  }

  it('a changed byte of message_3, or the wrong responder key, and message_3 no longer decrypts', () => {
    const bad = T.message3.slice();
    bad[5]! ^= 1;
    expect(() => recompute({ ...messages, message3: bad }, parties, { role: 'responder', y: T.y, r: T.r })).toThrow(/does not decrypt/);
    expect(() => recompute(messages, { ...parties, credR: { ...parties.credR, x: publicX(T.i) } }, { role: 'initiator', x: T.x, i: T.i })).toThrow(/does not decrypt/);
  });
});

describe('byte model', () => {
  const kid = { cI: Uint8Array.of(0x37), cR: Uint8Array.of(0x27), idCredI: Uint8Array.of(0x2b), idCredR: Uint8Array.of(0x32) };

  it('cuts the trace into the items it predicts, equal to the byte', () => {
    const model = modelMessages({ suitesI: [6, 2], ...kid });
    expect(model.map((m) => m.bytes)).toEqual([39, 45, 19]);
    const r = recompute(messages, parties, { role: 'responder', y: T.y, r: T.r });
    expect(compareEdhoc(model, measuredParts(r), { message_1: 39, message_2: 45, message_3: 19 })).toEqual([]);
  });

  it('names each difference: a model expecting one suite sees the trace\'s array', () => {
    const model = modelMessages({ suitesI: [2], ...kid });
    const r = recompute(messages, parties, { role: 'responder', y: T.y, r: T.r });
    const d = compareEdhoc(model, measuredParts(r), { message_1: 39, message_2: 45, message_3: 19 });
    expect(d).toEqual(['message_1: 39 B measured, 37 B modeled', 'message_1 SUITES_I: 3 B measured, 1 B modeled']);
  });

  it('static DH by kid with one suite is the draft\'s 37 + 45 + 19 = 101 B; CCS by value adds the credentials', () => {
    expect(modelMessages({ suitesI: [2], ...kid }).map((m) => m.bytes)).toEqual([37, 45, 19]);
    const c = edhocCredentials('certcost');
    const byValue = modelMessages({ suitesI: [2], cI: kid.cI, cR: kid.cR, idCredI: idCredEncoded(c.initiator, 'kccs'), idCredR: idCredEncoded(c.responder, 'kccs') });
    // message_2: bstr head 2 + G_Y 32 + C_R 1 + { 14: CRED_R } + MAC_2 9; message_3: head 2 + { 14: CRED_I } + MAC_3 9 + tag 8
    expect(byValue.map((m) => m.bytes)).toEqual([37, 2 + 32 + 1 + 2 + c.responder.ccs.length + 9, 2 + 2 + c.initiator.ccs.length + 9 + 8]);
  });
});

describe('edhoc ops', () => {
  it('registers the variants, x5t as unsupported for every library with the reason', () => {
    expect(EDHOC_VARIANTS.map((v) => v.id)).toEqual(['edhoc-static-kid', 'edhoc-static-kccs', 'edhoc-static-x5t']);
    expect(OPS.get('edhoc-static-kid')!.libraries).toEqual({ only: ['lakers'], why: expect.stringMatching(/lakers/) });
    expect(OPS.get('edhoc-static-x5t')!.libraries!.only).toEqual([]);
    expect(OPS.get('edhoc-static-x5t')!.libraries!.why).toMatch(/kid \(4\) and kccs \(14\)/);
  });

  it('device inputs: config (flags, C_I, timeouts), I, CRED_I, CRED_R', () => {
    const c = edhocCredentials('certcost');
    const [cfg, i, credI, credR] = deviceInputs(EDHOC_VARIANTS[1]!, c);
    expect(hex(cfg!)).toBe('0137000000000fa000007d00');
    expect(i).toEqual(c.initiator.priv);
    expect(credI).toEqual(c.initiator.ccs);
    expect(credR).toEqual(c.responder.ccs);
    expect(hex(deviceInputs(EDHOC_VARIANTS[0]!, c)[0]!).slice(0, 4)).toBe('0037');
  });
});

describe('Rust symbols in function profiles', () => {
  it('demangles legacy names and files RustCrypto field arithmetic under bignum', () => {
    const fe = demangleRust('_ZN4p25610arithmetic5field10field_impl6fe_mul17hacc77e3b86e2335dE');
    expect(fe).toBe('p256::arithmetic::field::field_impl::fe_mul');
    expect(categorize(fe)).toBe('bignum');
    expect(demangleRust('_ZN99_$LT$primeorder..projective..ProjectivePoint$LT$C$GT$$u20$as$u20$core..ops..arith..Mul$LT$S$GT$$GT$3mul17h2087bfad3d4a6abcE'))
      .toBe('<primeorder::projective::ProjectivePoint<C> as core::ops::arith::Mul<S>>::mul');
    expect(categorize(demangleRust('_ZN4sha26sha2564soft22sha256_digest_round_x217h78f8103f8564a52dE'))).toBe('hash');
    expect(demangleRust('mbedtls_mpi_mul_mpi')).toBe('mbedtls_mpi_mul_mpi');
    expect(categorize('__aeabi_lmul')).toBe('bignum'); // the M0's 64-bit multiply under p256's field arithmetic
  });
});
