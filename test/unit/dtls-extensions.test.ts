import { describe, expect, it } from 'vitest';
import { extensionDataLength, extensionFromWire, extensionsBlockLength, extensionType, type ExtensionSpec } from '../../harness/dtls/extensions.js';
import { parseCertificateRequest, parseClientHello, parseNewSessionTicket, parseServerKeyExchange } from '../../harness/dtls/handshake.js';

const b = (...x: number[]) => Uint8Array.from(x);

describe('hello extensions', () => {
  // [wire type, wire data, side, expected spec] - data written out by hand from the RFCs.
  const cases: [number, Uint8Array, 'client' | 'server', ExtensionSpec][] = [
    [0, b(0, 7, 0, 0, 4, 0x61, 0x2e, 0x62, 0x63), 'client', { ext: 'server_name', hostLength: 4 }],
    [0, b(), 'server', { ext: 'server_name_ack' }],
    [5, b(1, 0, 0, 0, 0), 'client', { ext: 'status_request', responderIdListLength: 0, requestExtensionsLength: 0 }],
    [10, b(0, 4, 0, 23, 0, 29), 'client', { ext: 'supported_groups', groups: 2 }],
    [11, b(1, 0), 'client', { ext: 'ec_point_formats', formats: 1 }],
    [13, b(0, 2, 4, 3), 'client', { ext: 'signature_algorithms', algorithms: 1 }],
    [16, b(0, 5, 4, 0x63, 0x6f, 0x61, 0x70), 'client', { ext: 'alpn', protocolLengths: [4] }],
    [20, b(1, 2), 'client', { ext: 'server_certificate_type', types: 1 }],
    [20, b(2), 'server', { ext: 'certificate_type_selected', which: 'server' }],
    [22, b(), 'client', { ext: 'encrypt_then_mac' }],
    [23, b(), 'server', { ext: 'extended_master_secret' }],
    [25, b(0, 34, 1, 32, ...new Array<number>(32).fill(7)), 'client', { ext: 'cached_info', hashLengths: [32] }],
    [27, b(4, 0, 1, 0, 2), 'client', { ext: 'compress_certificate', algorithms: 2 }],
    [35, b(9, 9, 9), 'client', { ext: 'session_ticket', ticketLength: 3 }],
    [54, b(2, 0xab, 0xcd), 'server', { ext: 'connection_id', cidLength: 2 }],
    [0xff01, b(0), 'server', { ext: 'renegotiation_info', verifyDataLength: 0 }],
    [0x3374, b(1, 2, 3), 'client', { ext: 'raw', type: 0x3374, length: 3 }],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i: type %i parses to a spec whose size and type match the wire', (_i, type, data, side, spec) => {
    const got = extensionFromWire(type, data, side);
    expect(got).toEqual(spec);
    expect(extensionDataLength(got)).toBe(data.length);
    expect(extensionType(got)).toBe(type);
  });

  it('falls back to raw when the contents are malformed', () => {
    expect(extensionFromWire(10, b(0, 9, 0, 23), 'client')).toEqual({ ext: 'raw', type: 10, length: 4 });
    expect(extensionFromWire(23, b(1), 'client')).toEqual({ ext: 'raw', type: 23, length: 1 });
  });

  it('an extensions block is 2 + 4 per extension + data, and absent when empty', () => {
    expect(extensionsBlockLength([])).toBe(0);
    expect(extensionsBlockLength([{ ext: 'extended_master_secret' }, { ext: 'supported_groups', groups: 1 }])).toBe(2 + 4 + 4 + 4);
  });
});

describe('handshake body parsers', () => {
  it('ClientHello with session id, cookie, two suites and one extension', () => {
    const body = b(0xfe, 0xfd, ...new Array<number>(32).fill(0), 2, 1, 2, 3, 9, 8, 7, 0, 4, 0xc0, 0xa8, 0, 0xff, 1, 0, 0, 4, 0, 23, 0, 0);
    expect(parseClientHello(body)).toMatchObject({ version: 0xfefd, sessionIdLength: 2, cookieLength: 3, suites: [0xc0a8, 0xff], compressionMethods: 1, extensionsPresent: true, extensions: [{ type: 23 }] });
    expect(() => parseClientHello(body.subarray(0, 40))).toThrow(/truncated/);
  });

  it('ServerKeyExchange for ECDHE-ECDSA and PSK, CertificateRequest, NewSessionTicket', () => {
    const ske = b(3, 0, 23, 65, ...new Array<number>(65).fill(4), 4, 3, 0, 70, ...new Array<number>(70).fill(1));
    expect(parseServerKeyExchange(ske, 'ecdhe_ecdsa')).toEqual({ namedCurve: 23, pointLength: 65, signatureAlgorithm: 0x0403, signatureLength: 70 });
    expect(parseServerKeyExchange(b(0, 2, 0x68, 0x69), 'psk')).toEqual({ pskHintLength: 2 });
    expect(parseCertificateRequest(b(1, 64, 0, 2, 4, 3, 0, 5, 0, 3, 1, 2, 3))).toEqual({ certificateTypes: 1, signatureAlgorithms: 1, caNameLengths: [3] });
    expect(parseNewSessionTicket(b(0, 0, 0x1c, 0x20, 0, 2, 5, 5))).toEqual({ lifetimeHint: 7200, ticketLength: 2 });
  });
});
