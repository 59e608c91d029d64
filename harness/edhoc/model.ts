// The byte model of an EDHOC exchange (RFC 9528 5.2-5.4, method 3, cipher
// suite 2, no EAD, no message_4): every CBOR item of message_1, message_2
// and message_3 computed from the configuration alone (suites, connection
// identifiers, the ID_CRED forms), and compared item by item with what was
// captured, decrypted by the reference (reference.ts). Items inside
// CIPHERTEXT_2 are the same length as PLAINTEXT_2's (XOR with KEYSTREAM_2);
// CIPHERTEXT_3 is PLAINTEXT_3 plus the 8-byte CCM tag.
import { encode, equalBytes, hex } from './cbor.js';
import { SUITE2, type Recomputed } from './reference.js';

export interface EdhocModelConfig {
  /** SUITES_I: the selected suite last (one suite is sent as an int). */
  suitesI: number[];
  /** C_I and C_R as CBOR (one byte for -24..23). */
  cI: Uint8Array;
  cR: Uint8Array;
  /** ID_CRED_I and ID_CRED_R as they travel in the plaintexts (credentials.ts idCredEncoded). */
  idCredI: Uint8Array;
  idCredR: Uint8Array;
}

export type EdhocMessageName = 'message_1' | 'message_2' | 'message_3';

export interface ModelPart {
  name: string;
  bytes: number;
  /** The exact bytes, where the configuration fixes them (plaintext items are checked after decryption). */
  value?: Uint8Array;
}

export interface ModelMessage {
  name: EdhocMessageName;
  dir: 'c2s' | 's2c';
  parts: ModelPart[];
  bytes: number;
}

/** Length of a CBOR byte-string head for n bytes of content. */
export const bstrHead = (n: number) => encode(new Uint8Array(n)).length - n;

const msg = (name: EdhocMessageName, dir: 'c2s' | 's2c', parts: ModelPart[]): ModelMessage => ({ name, dir, parts, bytes: parts.reduce((a, p) => a + p.bytes, 0) });

export function modelMessages(c: EdhocModelConfig): ModelMessage[] {
  const suites = encode(c.suitesI.length === 1 ? c.suitesI[0]! : c.suitesI);
  const macItem = 1 + SUITE2.macLen; // bstr of 8 bytes
  const plaintext2 = c.cR.length + c.idCredR.length + macItem;
  const plaintext3 = c.idCredI.length + macItem;
  return [
    msg('message_1', 'c2s', [
      { name: 'METHOD', bytes: 1, value: Uint8Array.of(3) },
      { name: 'SUITES_I', bytes: suites.length, value: suites },
      { name: 'G_X', bytes: bstrHead(SUITE2.eccLen) + SUITE2.eccLen },
      { name: 'C_I', bytes: c.cI.length, value: c.cI },
    ]),
    msg('message_2', 's2c', [
      { name: 'bstr head', bytes: bstrHead(SUITE2.eccLen + plaintext2) },
      { name: 'G_Y', bytes: SUITE2.eccLen },
      { name: 'C_R', bytes: c.cR.length, value: c.cR },
      { name: 'ID_CRED_R', bytes: c.idCredR.length, value: c.idCredR },
      { name: 'MAC_2', bytes: macItem },
    ]),
    msg('message_3', 'c2s', [
      { name: 'bstr head', bytes: bstrHead(plaintext3 + SUITE2.tagLen) },
      { name: 'ID_CRED_I', bytes: c.idCredI.length, value: c.idCredI },
      { name: 'MAC_3', bytes: macItem },
      { name: 'AEAD tag', bytes: SUITE2.tagLen },
    ]),
  ];
}

export interface MeasuredPart {
  name: string;
  bytes: Uint8Array;
}

/** The captured messages cut into the same parts, from the reference's decryption. */
export function measuredParts(r: Recomputed): Record<EdhocMessageName, MeasuredPart[]> {
  return {
    message_1: r.message1,
    message_2: [{ name: 'bstr head', bytes: r.message2.head }, { name: 'G_Y', bytes: r.message2.gY }, ...r.message2.plaintext],
    message_3: [{ name: 'bstr head', bytes: r.message3.head }, ...r.message3.plaintext, { name: 'AEAD tag', bytes: r.message3.tag }],
  };
}

/** Every difference between the model and the captured, decrypted messages, item by item ("" when equal). */
export function compareEdhoc(model: ModelMessage[], measured: Record<EdhocMessageName, MeasuredPart[]>, captured: Record<EdhocMessageName, number>): string[] {
  const d: string[] = [];
  for (const m of model) {
    const got = measured[m.name];
    if (captured[m.name] !== m.bytes) d.push(`${m.name}: ${captured[m.name]} B measured, ${m.bytes} B modeled`);
    const names = (ps: { name: string }[]) => ps.map((p) => p.name).join(', ');
    if (got.length !== m.parts.length || got.some((p, k) => p.name !== m.parts[k]!.name)) {
      d.push(`${m.name}: items (${names(got)}) measured, (${names(m.parts)}) modeled`);
      continue;
    }
    m.parts.forEach((p, k) => {
      const g = got[k]!;
      if (g.bytes.length !== p.bytes) d.push(`${m.name} ${p.name}: ${g.bytes.length} B measured, ${p.bytes} B modeled`);
      else if (p.value && !equalBytes(p.value, g.bytes)) d.push(`${m.name} ${p.name}: ${hex(g.bytes)} measured, ${hex(p.value)} modeled`);
    });
  }
  return d;
}
