// An independent reference of EDHOC's key schedule (RFC 9528 section 4,
// method 3 = static-static DH, cipher suite 2: P-256, SHA-256,
// AES-CCM-16-64-128, MAC length 8), written for this harness from the RFC on
// @noble/curves (ECDH), @noble/hashes (SHA-256, HKDF) and node:crypto
// (AES-128-CCM with an 8-byte tag). Given one side's secrets and the three
// captured messages it decrypts PLAINTEXT_2 and PLAINTEXT_3, recomputes MAC_2
// and MAC_3, and derives PRK_out, PRK_exporter and the OSCORE Master Secret and
// Salt (RFC 9528 Appendix A.1), so that the device's and the responder's
// answers are checked against a third computation, to the byte.
import { createDecipheriv } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { CborMap, concatBytes, decodeItem, decodeSequence, encode, equalBytes, hex, sequence } from './cbor.js';
import { KID_LABEL } from './credentials.js';

export const SUITE2 = { id: 2, hashLen: 32, keyLen: 16, ivLen: 13, tagLen: 8, macLen: 8, eccLen: 32 } as const;

/** What a side knows: the initiator its ephemeral x and static i, the responder its ephemeral y and static r. */
export type EdhocSecrets = { role: 'initiator'; x: Uint8Array; i: Uint8Array } | { role: 'responder'; y: Uint8Array; r: Uint8Array };

/** The two authentication credentials: CRED_x (the CCS bytes) and the public key's x-coordinate. */
export interface EdhocParties {
  credI: { ccs: Uint8Array; x: Uint8Array };
  credR: { ccs: Uint8Array; x: Uint8Array };
}

/** One item of a message or plaintext: its raw encoding. */
export interface Item {
  name: string;
  bytes: Uint8Array;
}

export interface Recomputed {
  message1: Item[];
  /** message_2 = bstr(G_Y || CIPHERTEXT_2): the bstr head, G_Y, then PLAINTEXT_2's items (the ciphertext is the same length). */
  message2: { head: Uint8Array; gY: Uint8Array; plaintext: Item[] };
  /** message_3 = bstr(CIPHERTEXT_3): the bstr head, PLAINTEXT_3's items, the AEAD tag. */
  message3: { head: Uint8Array; plaintext: Item[]; tag: Uint8Array };
  cI: Uint8Array;
  cR: Uint8Array;
  idCredR: Uint8Array;
  idCredI: Uint8Array;
  mac2: { received: Uint8Array; expected: Uint8Array };
  mac3: { received: Uint8Array; expected: Uint8Array };
  th2: Uint8Array;
  th3: Uint8Array;
  th4: Uint8Array;
  prk2e: Uint8Array;
  prk3e2m: Uint8Array;
  prk4e3m: Uint8Array;
  prkOut: Uint8Array;
  prkExporter: Uint8Array;
  oscoreSecret: Uint8Array;
  oscoreSalt: Uint8Array;
}

const bstr = (b: Uint8Array) => encode(b);

/** EDHOC-KDF(PRK, label, context, length) = HKDF-Expand(PRK, info, length), info = (label, context bstr, length) (RFC 9528 4.1.2). */
export function edhocKdf(prk: Uint8Array, label: number, context: Uint8Array, length: number): Uint8Array {
  return expand(sha256, prk, sequence([label, context, length]), length);
}

/** HKDF-Extract(salt, IKM). */
export const hkdfExtract = (salt: Uint8Array, ikm: Uint8Array) => extract(sha256, ikm, salt);

/** P-256 ECDH on an x-coordinate (EDHOC sends public keys as x only; either y gives the same shared x). */
export function ecdhX(priv: Uint8Array, peerX: Uint8Array): Uint8Array {
  return p256.getSharedSecret(priv, concatBytes([Uint8Array.of(0x02), peerX]), true).slice(1, 33);
}

/** The x-coordinate of a private key's public key. */
export const publicX = (priv: Uint8Array) => p256.getPublicKey(priv, false).slice(1, 33);

/** AES-CCM-16-64-128 decryption (13-byte nonce, 8-byte tag); throws when the tag does not verify. */
export function aesCcmDecrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const tagLen = SUITE2.tagLen;
  if (ciphertext.length < tagLen) throw new Error('AES-CCM: ciphertext shorter than its tag');
  const d = createDecipheriv('aes-128-ccm', key, iv, { authTagLength: tagLen });
  d.setAuthTag(ciphertext.subarray(ciphertext.length - tagLen));
  d.setAAD(aad, { plaintextLength: ciphertext.length - tagLen });
  const pt = d.update(ciphertext.subarray(0, ciphertext.length - tagLen));
  d.final();
  return new Uint8Array(pt);
}

/** The Enc_structure of COSE_Encrypt0 with an empty protected header: [ "Encrypt0", h'', external_aad ]. */
export const encStructure = (externalAad: Uint8Array) => encode(['Encrypt0', new Uint8Array(0), externalAad]);

/** ID_CRED_x in full (a map) from its PLAINTEXT encoding (RFC 9528 3.5.3.2: an int or a bstr stands for { 4: kid }). */
export function idCredFullFromEncoded(raw: Uint8Array): Uint8Array {
  const first = raw[0]! >> 5;
  if (first === 0 || first === 1) return encode(new CborMap([[KID_LABEL, raw]]));
  if (first === 2) return concatBytes([Uint8Array.of(0xa1, KID_LABEL), raw]);
  return raw;
}

function items(b: Uint8Array, names: string[]): Item[] {
  return decodeSequence(b).map((d, k) => ({ name: names[k] ?? `EAD (item ${k + 1})`, bytes: b.slice(d.start, d.end) }));
}

/** The bstr head and content of a message that is one byte string (message_2, message_3). */
function oneBstr(m: Uint8Array, what: string): { head: Uint8Array; content: Uint8Array } {
  const d = decodeItem(m, 0);
  if (!(d.value instanceof Uint8Array)) throw new Error(`${what} is not a byte string`);
  if (d.end !== m.length) throw new Error(`${what} has ${m.length - d.end} B after its byte string`);
  return { head: m.slice(0, m.length - d.value.length), content: d.value };
}

/** Recomputes the exchange from the captured messages and one side's secrets. Throws on anything that does not decode or decrypt. */
export function recompute(messages: { message1: Uint8Array; message2: Uint8Array; message3: Uint8Array }, parties: EdhocParties, secrets: EdhocSecrets): Recomputed {
  const { message1, message2, message3 } = messages;
  const m1 = items(message1, ['METHOD', 'SUITES_I', 'G_X', 'C_I']);
  if (m1.length < 4) throw new Error(`message_1 has ${m1.length} CBOR items, expected at least 4`);
  const method = decodeItem(m1[0]!.bytes).value;
  if (method !== 3) throw new Error(`message_1 METHOD ${String(method)}, expected 3 (static-static DH)`);
  const suites = decodeItem(m1[1]!.bytes).value;
  const selected = Array.isArray(suites) ? suites.at(-1) : suites;
  if (selected !== SUITE2.id) throw new Error(`message_1 selects cipher suite ${String(selected)}, expected 2`);
  const gX = decodeItem(m1[2]!.bytes).value;
  if (!(gX instanceof Uint8Array) || gX.length !== SUITE2.eccLen) throw new Error('message_1 G_X is not a 32-byte bstr');
  const cI = m1[3]!.bytes;

  const m2 = oneBstr(message2, 'message_2');
  const gY = m2.content.slice(0, SUITE2.eccLen);
  const ciphertext2 = m2.content.slice(SUITE2.eccLen);

  // The three DH secrets, from whichever side's secrets we hold.
  const gXY = secrets.role === 'initiator' ? ecdhX(secrets.x, gY) : ecdhX(secrets.y, gX);
  const gRX = secrets.role === 'initiator' ? ecdhX(secrets.x, parties.credR.x) : ecdhX(secrets.r, gX);
  const gIY = secrets.role === 'initiator' ? ecdhX(secrets.i, gY) : ecdhX(secrets.y, parties.credI.x);

  const th2 = sha256(concatBytes([bstr(gY), bstr(sha256(message1))]));
  const prk2e = hkdfExtract(th2, gXY);
  const keystream2 = edhocKdf(prk2e, 0, th2, ciphertext2.length);
  const plaintext2 = ciphertext2.map((c, k) => c ^ keystream2[k]!);
  const p2 = items(plaintext2, ['C_R', 'ID_CRED_R', 'MAC_2']);
  if (p2.length < 3) throw new Error(`PLAINTEXT_2 has ${p2.length} CBOR items, expected at least 3 (C_R, ID_CRED_R, MAC_2): wrong keys or a different layout`);
  const cR = p2[0]!.bytes;
  const idCredR = idCredFullFromEncoded(p2[1]!.bytes);
  const mac2Received = decodeItem(p2[2]!.bytes).value as Uint8Array;
  const ead2 = concatBytes(p2.slice(3).map((x) => x.bytes));
  const salt3e2m = edhocKdf(prk2e, 1, th2, SUITE2.hashLen);
  const prk3e2m = hkdfExtract(salt3e2m, gRX);
  const mac2 = edhocKdf(prk3e2m, 2, concatBytes([cR, idCredR, bstr(th2), parties.credR.ccs, ead2]), SUITE2.macLen);
  const th3 = sha256(concatBytes([bstr(th2), plaintext2, parties.credR.ccs]));

  const m3 = oneBstr(message3, 'message_3');
  const k3 = edhocKdf(prk3e2m, 3, th3, SUITE2.keyLen);
  const iv3 = edhocKdf(prk3e2m, 4, th3, SUITE2.ivLen);
  let plaintext3: Uint8Array;
  try {
    plaintext3 = aesCcmDecrypt(k3, iv3, encStructure(th3), m3.content);
  } catch {
    throw new Error('message_3 does not decrypt (AES-CCM tag) under K_3/IV_3 of this transcript');
  }
  const p3 = items(plaintext3, ['ID_CRED_I', 'MAC_3']);
  if (p3.length < 2) throw new Error(`PLAINTEXT_3 has ${p3.length} CBOR items, expected at least 2 (ID_CRED_I, MAC_3)`);
  const idCredI = idCredFullFromEncoded(p3[0]!.bytes);
  const mac3Received = decodeItem(p3[1]!.bytes).value as Uint8Array;
  const ead3 = concatBytes(p3.slice(2).map((x) => x.bytes));
  const salt4e3m = edhocKdf(prk3e2m, 5, th3, SUITE2.hashLen);
  const prk4e3m = hkdfExtract(salt4e3m, gIY);
  const mac3 = edhocKdf(prk4e3m, 6, concatBytes([idCredI, bstr(th3), parties.credI.ccs, ead3]), SUITE2.macLen);
  const th4 = sha256(concatBytes([bstr(th3), plaintext3, parties.credI.ccs]));
  const prkOut = edhocKdf(prk4e3m, 7, th4, SUITE2.hashLen);
  const prkExporter = edhocKdf(prkOut, 10, new Uint8Array(0), SUITE2.hashLen);
  return {
    message1: m1,
    message2: { head: m2.head, gY, plaintext: p2 },
    message3: { head: m3.head, plaintext: p3, tag: m3.content.slice(m3.content.length - SUITE2.tagLen) },
    cI, cR, idCredR, idCredI,
    mac2: { received: mac2Received, expected: mac2 },
    mac3: { received: mac3Received, expected: mac3 },
    th2, th3, th4, prk2e, prk3e2m, prk4e3m, prkOut, prkExporter,
    oscoreSecret: edhocKdf(prkExporter, 0, new Uint8Array(0), 16),
    oscoreSalt: edhocKdf(prkExporter, 1, new Uint8Array(0), 8),
  };
}

/** What of a recomputation disagrees with itself (the MACs) — empty when the exchange is sound. */
export function macProblems(r: Recomputed): string[] {
  const p: string[] = [];
  if (!equalBytes(r.mac2.received, r.mac2.expected)) p.push(`MAC_2 ${hex(r.mac2.received)} differs from the recomputed ${hex(r.mac2.expected)}`);
  if (!equalBytes(r.mac3.received, r.mac3.expected)) p.push(`MAC_3 ${hex(r.mac3.received)} differs from the recomputed ${hex(r.mac3.expected)}`);
  return p;
}
