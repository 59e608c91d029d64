// The DTLS measurement side in one import: capture (relay), peer (OpenSSL),
// decoding, the byte model, what-ifs and the one-call analysis.
export * from './records.js';
export * from './extensions.js';
export * from './handshake.js';
export * from './model.js';
export * from './configure.js';
export * from './whatif.js';
export * from './relay.js';
export * from './openssl-peer.js';
export * from './analyse.js';
