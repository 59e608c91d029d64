// The op registry: every op id the harness can drive.
import type { OpSpec } from './spec.js';
import { ecdsaVerify } from './ecdsa-verify.js';
import { ecdsaKeygen } from './ecdsa-keygen.js';
import { ecdsaSign } from './ecdsa-sign.js';
import { ecdh } from './ecdh.js';
import { sha256_64, sha256_1k } from './sha256.js';
import { rsaVerify, rsaSign } from './rsa.js';
import { selftestEcho, selftestFault } from './selftest.js';
import { DTLS_OPS } from './dtls/index.js';
import { X509_GROUPS, X509_OPS } from './x509.js';
import { REVOCATION_OPS } from './revocation.js';
import { EDHOC_OPS } from './edhoc/index.js';

const all: OpSpec[] = [ecdsaVerify, ecdsaKeygen, ecdsaSign, ecdh, sha256_64, sha256_1k, rsaVerify, rsaSign, selftestEcho, selftestFault, ...DTLS_OPS, ...X509_OPS, ...REVOCATION_OPS, ...EDHOC_OPS];
export const OPS = new Map(all.map((o) => [o.id, o]));
export const OP_IDS = all.map((o) => o.id);
/** Names a scenario may use for a family of ops, each standing for its members in this order. */
export const OP_GROUPS: Record<string, string[]> = { ...X509_GROUPS };
