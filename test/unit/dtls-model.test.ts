import { describe, expect, it } from 'vitest';
import { modelHandshake, protectedLength, suiteInfo, type HandshakeConfig, type HandshakeModel } from '../../harness/dtls/model.js';
import { compare, formatDifference } from '../../harness/dtls/compare.js';
import { decodeAll, type Datagram } from '../../harness/dtls/records.js';
import { HandshakeType } from '../../harness/dtls/records.js';
import { analyseHandshake } from '../../harness/dtls/analyse.js';
import { loadLinkProfiles } from '../../harness/links/profiles.js';

// PSK-CCM8 as OpenSSL 3.0's s_client offers it (session_ticket, encrypt_then_mac,
// extended_master_secret, 20 signature algorithms; suites PSK-CCM8 + SCSV).
const psk = (over: Partial<HandshakeConfig> = {}): HandshakeConfig => ({
  variant: 'psk',
  suite: 0xc0a8,
  cookieLength: 20,
  client: {
    suites: [0xc0a8, 0x00ff],
    sessionIdLength: 0,
    extensions: [{ ext: 'session_ticket', ticketLength: 0 }, { ext: 'encrypt_then_mac' }, { ext: 'extended_master_secret' }, { ext: 'signature_algorithms', algorithms: 20 }],
    pskIdentityLength: 11,
    packing: { mtu: 1372, mode: 'fill' },
  },
  server: { sessionIdLength: 32, extensions: [{ ext: 'renegotiation_info' }, { ext: 'extended_master_secret' }], packing: { mtu: 1372, mode: 'fill' } },
  ...over,
});

const bodies = (m: HandshakeModel) => m.flights.map((f) => f.messages.map((x) => `${x.name}:${x.bodyLength}`));

/** Serialise a model back into DTLS bytes (zero bodies, dummy ciphertext) so compare() can be tested on real decoding. */
function encode(m: HandshakeModel): Datagram[] {
  const out: Datagram[] = [];
  const seq = { c2s: 0, s2c: 0 };
  const mseq = { c2s: 0, s2c: 0 };
  const typeOf: Record<string, number> = Object.fromEntries(Object.entries(HandshakeType).map(([k, v]) => [k, v]));
  for (const f of m.flights) {
    for (const d of f.datagrams) {
      const bytes: number[] = [];
      for (const r of d.records) {
        let payload: number[];
        if (r.fragmentLength !== undefined) {
          const msg = f.messages.find((x) => x.name === r.message)!;
          const total = msg.bodyLength;
          if (r.fragmentOffset === 0) mseq[f.dir]++;
          const n = mseq[f.dir] - 1;
          payload = [typeOf[r.message]!, total >> 16, (total >> 8) & 0xff, total & 0xff, n >> 8, n & 0xff, 0, (r.fragmentOffset! >> 8) & 0xff, r.fragmentOffset! & 0xff, 0, r.fragmentLength >> 8, r.fragmentLength & 0xff, ...new Array<number>(r.fragmentLength).fill(0)];
        } else payload = new Array<number>(r.length).fill(1);
        const s = seq[f.dir]++;
        bytes.push(r.contentType, 0xfe, 0xfd, 0, r.epoch, 0, 0, 0, 0, s >> 8, s & 0xff, payload.length >> 8, payload.length & 0xff, ...payload);
      }
      out.push({ dir: f.dir, t: 0, bytes: Uint8Array.from(bytes) });
    }
  }
  return out;
}

describe('record protection sizes', () => {
  it('AEAD: explicit nonce + plaintext + tag', () => {
    expect(protectedLength(suiteInfo(0xc0a8).cipher, 24)).toBe(8 + 24 + 8); // CCM_8
    expect(protectedLength(suiteInfo(0x00a8).cipher, 24)).toBe(8 + 24 + 16); // GCM
    expect(protectedLength(suiteInfo(0xcca9).cipher, 24)).toBe(24 + 16); // ChaCha20-Poly1305: implicit nonce
  });
  it('CBC: IV + padded (plaintext [+ MAC] + pad length), MAC-then-encrypt vs encrypt-then-MAC', () => {
    const sha256 = suiteInfo(0x00ae).cipher;
    expect(protectedLength(sha256, 24)).toBe(16 + 64); // 24+32+1 = 57 -> 64
    expect(protectedLength(sha256, 24, true)).toBe(16 + 32 + 32); // 24+1 -> 32, MAC after
    const sha1 = suiteInfo(0x008c).cipher;
    expect(protectedLength(sha1, 24)).toBe(16 + 48); // 24+20+1 = 45 -> 48
    expect(protectedLength(sha1, 15, true)).toBe(16 + 16 + 20); // exactly one block incl. pad length
  });
});

describe('handshake message sizes', () => {
  it('PSK-CCM8 by hand: the 629 B OpenSSL handshake', () => {
    const m = modelHandshake(psk());
    // ClientHello: version 2 + random 32 + sid 1 + cookie 1 + suites 2+4 + compression 1+1 + extensions 2+4+4+4+(4+42)
    const ch = 2 + 32 + 1 + 1 + 6 + 2 + (2 + 4 + 4 + 4 + 46);
    expect(ch).toBe(104);
    expect(bodies(m)).toEqual([
      [`client_hello:${ch}`],
      ['hello_verify_request:23'],
      [`client_hello:${ch + 20}`],
      [`server_hello:${2 + 32 + 1 + 32 + 2 + 1 + (2 + 5 + 4)}`, 'server_hello_done:0'],
      ['client_key_exchange:13', 'change_cipher_spec:1', 'finished:24'],
      ['change_cipher_spec:1', 'finished:24'],
    ]);
    expect(m.flights.map((f) => f.bytes)).toEqual([129, 48, 149, 131, 105, 67]);
    expect(m.bytes).toBe(629);
    expect(m.c2s).toMatchObject({ bytes: 383, datagrams: 3, records: 5, recordOverhead: 65, handshakeOverhead: 36 });
    expect(m.status).toBe('modeled');
  });

  it('PSK identity hint adds a ServerKeyExchange; ECDHE-ECDSA sizes certificate, key exchange and signature', () => {
    expect(bodies(modelHandshake(psk({ server: { ...psk().server, pskIdentityHintLength: 4 } })))[3]).toContain('server_key_exchange:6');
    const ecdhe = modelHandshake(
      psk({
        variant: 'ecdhe-ecdsa-mutual',
        suite: 0xc0ae,
        client: { ...psk().client, certificate: { kind: 'x509', chain: [475, 464] }, certificateVerifySignature: 71 },
        server: { ...psk().server, certificate: { kind: 'x509', chain: [518] }, keyExchangeSignature: 70, certificateRequest: { certificateTypes: 3, signatureAlgorithms: 20, caNameLengths: [57] } },
      }),
    );
    const b = bodies(ecdhe);
    expect(b[3]).toEqual(['server_hello:81', `certificate:${3 + 3 + 518}`, `server_key_exchange:${1 + 2 + 1 + 65 + 2 + 2 + 70}`, `certificate_request:${1 + 3 + 2 + 40 + 2 + 2 + 57}`, 'server_hello_done:0']);
    expect(b[4]).toEqual([`certificate:${3 + 3 + 475 + 3 + 464}`, 'client_key_exchange:66', 'certificate_verify:75', 'change_cipher_spec:1', 'finished:24']);
  });

  it('OCSP stapling puts a CertificateStatus after the Certificate', () => {
    const m = modelHandshake(psk({ variant: 'ecdhe-ecdsa', suite: 0xc0ae, server: { ...psk().server, certificate: { kind: 'x509', chain: [400] }, keyExchangeSignature: 70, certificateStatus: { ocspResponseLength: 300 } } }));
    expect(bodies(m)[3]!.slice(1, 3)).toEqual(['certificate:406', 'certificate_status:304']);
  });

  it('resumption: ServerHello, ticket, CCS, Finished, then the client CCS + Finished', () => {
    const m = modelHandshake(psk({ variant: 'resumption', server: { ...psk().server, newSessionTicket: { ticketLength: 192 } } }));
    expect(bodies(m).slice(3)).toEqual([
      ['server_hello:81', 'new_session_ticket:198', 'change_cipher_spec:1', 'finished:24'],
      ['change_cipher_spec:1', 'finished:24'],
    ]);
  });

  it('no cookie: no HelloVerifyRequest round trip', () => {
    expect(modelHandshake(psk({ cookieLength: null })).flights).toHaveLength(4);
  });

  it('refuses a suite that does not fit the variant, and missing inputs', () => {
    expect(() => modelHandshake(psk({ variant: 'ecdhe-ecdsa' }))).toThrow(/does not fit/);
    expect(() => modelHandshake(psk({ variant: 'ecdhe-ecdsa', suite: 0xc0ae }))).toThrow(/server.certificate/);
    expect(() => modelHandshake(psk({ suite: 0x1234 }))).toThrow(/not in the model's table/);
  });
});

describe('record packing', () => {
  const chain = (mtu: number, mode: 'fill' | 'datagram-per-record') =>
    modelHandshake(
      psk({
        variant: 'ecdhe-ecdsa',
        suite: 0xc0ae,
        cookieLength: null,
        server: { ...psk().server, certificate: { kind: 'x509', chain: [294] }, keyExchangeSignature: 71, packing: { mtu, mode } },
      }),
    ).flights[1]!;

  it('fill: a message that does not fit is fragmented at the end of the datagram', () => {
    // mtu 200: SH record 13+12+81 = 106; certificate (300 B body) gets 200-106-25 = 69 B, then 175, then 56
    // (record 81); SKE (144 B) starts in the 119 B left: 94 B, then 50 B; SHD fits behind it.
    const f = chain(200, 'fill');
    expect(f.messages.map((m) => [m.name, m.fragments, m.recordLengths.join('+')])).toEqual([
      ['server_hello', 1, '93'],
      ['certificate', 3, `${12 + 69}+${12 + 175}+${12 + 56}`],
      ['server_key_exchange', 2, `${12 + 94}+${12 + 50}`],
      ['server_hello_done', 1, '12'],
    ]);
    expect(f.datagrams.map((d) => d.size)).toEqual([200, 200, 200, 13 + 62 + 13 + 12]);
  });

  it('fill: a datagram with no room left for a fragment header is closed first', () => {
    // mtu 131: SH takes 106, 25 left = exactly the two headers with no body room -> new datagram.
    const f = chain(131, 'fill');
    expect(f.datagrams[0]!.records).toHaveLength(1);
    expect(f.datagrams[0]!.size).toBe(106);
  });

  it('datagram-per-record: every record in its own datagram', () => {
    const f = chain(1372, 'datagram-per-record');
    expect(f.datagrams.map((d) => d.records.length)).toEqual([1, 1, 1, 1]);
    expect(f.bytes).toBe(106 + 13 + 12 + 300 + 13 + 12 + 144 + 25);
  });
});

describe('compare()', () => {
  it('finds nothing when the wire matches, fragmented flights included', () => {
    const m = modelHandshake(psk({ server: { ...psk().server, packing: { mtu: 60, mode: 'fill' } } }));
    expect(m.flights[3]!.messages[0]!.fragments).toBeGreaterThan(1);
    expect(compare(decodeAll(encode(m)), m)).toEqual([]);
  });

  it('names the message whose body differs, and the totals', () => {
    const m = modelHandshake(psk());
    const wire = encode(m);
    const other = modelHandshake(psk({ server: { ...psk().server, sessionIdLength: 0 } }));
    const diffs = compare(decodeAll(wire), other);
    const text = diffs.map(formatDifference);
    expect(text).toContain('flight 4 s2c server_hello: body length measured 81, modeled 49');
    expect(text.some((t) => t.startsWith('flight 0 s2c (total): bytes measured 246, modeled 214'))).toBe(true);
  });

  it('reports a missing flight and a message the model did not expect', () => {
    const m = modelHandshake(psk());
    const wire = decodeAll(encode(m).slice(0, 4));
    expect(compare(wire, m).some((d) => d.flight === 5 && d.field === 'present' && d.measured === 'missing')).toBe(true);
    const hint = modelHandshake(psk({ server: { ...psk().server, pskIdentityHintLength: 0 } }));
    expect(compare(decodeAll(encode(m)), hint).some((d) => d.flight === 4 && d.field === 'message #2' && d.modeled === 'server_key_exchange')).toBe(true);
  });
});

describe('analyseHandshake()', () => {
  it('decodes, checks and costs a capture in one call', () => {
    const cfg = psk();
    const a = analyseHandshake(encode(modelHandshake(cfg)), cfg, loadLinkProfiles());
    expect(a.modelCheck).toBe('equal');
    expect(a.totals.bytes).toBe(629);
    expect(a.onAir.map((c) => c.profile)).toContain('ieee802154-6lowpan');
    const off = analyseHandshake(encode(modelHandshake(cfg)), psk({ client: { ...cfg.client, pskIdentityLength: 12 } }));
    expect(off.modelCheck).toBe('differs');
    expect(off.explanation[0]).toMatch(/client_key_exchange: body length measured 13, modeled 14/);
  });
});
