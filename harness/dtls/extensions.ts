// Hello extensions as configuration: each spec says what an extension
// carries (how many groups, which ticket length, ...) and the model derives
// its size from that. extensionFromWire() turns a captured extension back
// into such a spec by parsing its contents, so a test can configure the
// model from what a peer really offered without copying byte counts.
export type Side = 'client' | 'server';

export type ExtensionSpec =
  | { ext: 'server_name'; hostLength: number } // client: one host_name entry
  | { ext: 'server_name_ack' } // server: empty
  | { ext: 'max_fragment_length' }
  | { ext: 'client_certificate_url' } // RFC 6066, empty both ways
  | { ext: 'status_request'; responderIdListLength?: number; requestExtensionsLength?: number } // client, OCSP
  | { ext: 'status_request_ack' } // server: empty
  | { ext: 'supported_groups'; groups: number }
  | { ext: 'ec_point_formats'; formats: number }
  | { ext: 'signature_algorithms'; algorithms: number }
  | { ext: 'heartbeat' }
  | { ext: 'alpn'; protocolLengths: number[] }
  | { ext: 'client_certificate_type'; types: number } // RFC 7250; the server answers with one type: types=1 and selected
  | { ext: 'server_certificate_type'; types: number }
  | { ext: 'certificate_type_selected'; which: 'client' | 'server' }
  | { ext: 'padding'; length: number }
  | { ext: 'encrypt_then_mac' }
  | { ext: 'extended_master_secret' }
  | { ext: 'cached_info'; hashLengths: number[] } // RFC 7924 client: one (type, hash) per cached object
  | { ext: 'cached_info_ack'; types: number } // RFC 7924 server: the types it will replace
  | { ext: 'compress_certificate'; algorithms: number } // RFC 8879
  | { ext: 'record_size_limit' }
  | { ext: 'session_ticket'; ticketLength: number } // 0 = empty (ask for one / server will send one)
  | { ext: 'connection_id'; cidLength: number } // RFC 9146
  | { ext: 'renegotiation_info'; verifyDataLength?: number }
  | { ext: 'raw'; type: number; length: number }; // anything else: the size must be given

export const EXTENSION_TYPES: Record<Exclude<ExtensionSpec['ext'], 'raw' | 'server_name_ack' | 'status_request_ack' | 'certificate_type_selected' | 'cached_info_ack'>, number> = {
  server_name: 0,
  max_fragment_length: 1,
  client_certificate_url: 2,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  heartbeat: 15,
  alpn: 16,
  client_certificate_type: 19,
  server_certificate_type: 20,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  cached_info: 25,
  compress_certificate: 27,
  record_size_limit: 28,
  session_ticket: 35,
  connection_id: 54,
  renegotiation_info: 0xff01,
};

export function extensionType(s: ExtensionSpec): number {
  switch (s.ext) {
    case 'raw':
      return s.type;
    case 'server_name_ack':
      return EXTENSION_TYPES.server_name;
    case 'status_request_ack':
      return EXTENSION_TYPES.status_request;
    case 'cached_info_ack':
      return EXTENSION_TYPES.cached_info;
    case 'certificate_type_selected':
      return s.which === 'client' ? EXTENSION_TYPES.client_certificate_type : EXTENSION_TYPES.server_certificate_type;
    default:
      return EXTENSION_TYPES[s.ext];
  }
}

/** Size of extension_data (the 4-byte type+length header not included). */
export function extensionDataLength(s: ExtensionSpec): number {
  switch (s.ext) {
    case 'server_name':
      return 2 + 1 + 2 + s.hostLength; // list length, name_type, host_name<1..2^16-1>
    case 'max_fragment_length':
    case 'heartbeat':
      return 1;
    case 'status_request':
      return 1 + 2 + (s.responderIdListLength ?? 0) + 2 + (s.requestExtensionsLength ?? 0); // status_type, responder_id_list, request_extensions
    case 'supported_groups':
      return 2 + 2 * s.groups;
    case 'ec_point_formats':
      return 1 + s.formats;
    case 'signature_algorithms':
      return 2 + 2 * s.algorithms;
    case 'alpn':
      return 2 + s.protocolLengths.reduce((a, n) => a + 1 + n, 0);
    case 'client_certificate_type':
    case 'server_certificate_type':
      return 1 + s.types;
    case 'certificate_type_selected':
      return 1;
    case 'padding':
      return s.length;
    case 'cached_info':
      return 2 + s.hashLengths.reduce((a, n) => a + 1 + 1 + n, 0); // type, hash_value<1..255>
    case 'cached_info_ack':
      return 2 + s.types;
    case 'compress_certificate':
      return 1 + 2 * s.algorithms;
    case 'record_size_limit':
      return 2;
    case 'session_ticket':
      return s.ticketLength;
    case 'connection_id':
      return 1 + s.cidLength;
    case 'renegotiation_info':
      return 1 + (s.verifyDataLength ?? 0);
    case 'raw':
      return s.length;
    case 'server_name_ack':
    case 'status_request_ack':
    case 'client_certificate_url':
    case 'encrypt_then_mac':
    case 'extended_master_secret':
      return 0;
  }
}

/** Size of a whole extensions block: 2-byte list length + 4 per extension + data; 0 when there are none (the block is omitted). */
export function extensionsBlockLength(list: ExtensionSpec[]): number {
  return list.length === 0 ? 0 : 2 + list.reduce((a, s) => a + 4 + extensionDataLength(s), 0);
}

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;

/**
 * Parse one captured extension into a spec. Falls back to `raw` when the
 * contents do not have the expected shape, so nothing is silently invented.
 */
export function extensionFromWire(type: number, data: Uint8Array, side: Side): ExtensionSpec {
  const raw: ExtensionSpec = { ext: 'raw', type, length: data.length };
  const vec16 = () => data.length >= 2 && u16(data, 0) === data.length - 2;
  switch (type) {
    case 0:
      if (data.length === 0) return { ext: 'server_name_ack' };
      return data.length >= 5 && vec16() && data[2] === 0 && u16(data, 3) === data.length - 5 ? { ext: 'server_name', hostLength: data.length - 5 } : raw;
    case 1:
      return data.length === 1 ? { ext: 'max_fragment_length' } : raw;
    case 2:
      return data.length === 0 ? { ext: 'client_certificate_url' } : raw;
    case 5: {
      if (data.length === 0) return { ext: 'status_request_ack' };
      if (data.length < 5 || data[0] !== 1) return raw;
      const ids = u16(data, 1);
      if (3 + ids + 2 > data.length) return raw;
      const exts = u16(data, 3 + ids);
      return 5 + ids + exts === data.length ? { ext: 'status_request', responderIdListLength: ids, requestExtensionsLength: exts } : raw;
    }
    case 10:
      return vec16() && data.length % 2 === 0 ? { ext: 'supported_groups', groups: (data.length - 2) / 2 } : raw;
    case 11:
      return data.length >= 1 && data[0] === data.length - 1 ? { ext: 'ec_point_formats', formats: data.length - 1 } : raw;
    case 13:
      return vec16() && data.length % 2 === 0 ? { ext: 'signature_algorithms', algorithms: (data.length - 2) / 2 } : raw;
    case 15:
      return data.length === 1 ? { ext: 'heartbeat' } : raw;
    case 16: {
      if (!vec16()) return raw;
      const lens: number[] = [];
      for (let o = 2; o < data.length; o += 1 + data[o]!) lens.push(data[o]!);
      return 2 + lens.reduce((a, n) => a + 1 + n, 0) === data.length ? { ext: 'alpn', protocolLengths: lens } : raw;
    }
    case 19:
    case 20:
      if (side === 'server') return data.length === 1 ? { ext: 'certificate_type_selected', which: type === 19 ? 'client' : 'server' } : raw;
      return data.length >= 1 && data[0] === data.length - 1 ? { ext: type === 19 ? 'client_certificate_type' : 'server_certificate_type', types: data.length - 1 } : raw;
    case 21:
      return { ext: 'padding', length: data.length };
    case 22:
      return data.length === 0 ? { ext: 'encrypt_then_mac' } : raw;
    case 23:
      return data.length === 0 ? { ext: 'extended_master_secret' } : raw;
    case 25: {
      if (!vec16()) return raw;
      if (side === 'server') return { ext: 'cached_info_ack', types: data.length - 2 };
      const hashes: number[] = [];
      let o = 2;
      for (; o + 2 <= data.length; o += 2 + data[o + 1]!) hashes.push(data[o + 1]!);
      return o === data.length ? { ext: 'cached_info', hashLengths: hashes } : raw;
    }
    case 27:
      return data.length >= 1 && data[0] === data.length - 1 && data[0]! % 2 === 0 ? { ext: 'compress_certificate', algorithms: (data.length - 1) / 2 } : raw;
    case 28:
      return data.length === 2 ? { ext: 'record_size_limit' } : raw;
    case 35:
      return { ext: 'session_ticket', ticketLength: data.length };
    case 54:
      return data.length >= 1 && data[0] === data.length - 1 ? { ext: 'connection_id', cidLength: data.length - 1 } : raw;
    case 0xff01:
      return data.length >= 1 && data[0] === data.length - 1 ? { ext: 'renegotiation_info', verifyDataLength: data.length - 1 } : raw;
    default:
      return raw;
  }
}
