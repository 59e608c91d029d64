// The op registry: every op id the harness can drive.
import type { OpSpec } from './types.js';
import { ecdsaVerify } from './ecdsa-verify.js';
import { selftestEcho, selftestFault } from './selftest.js';

const all: OpSpec[] = [ecdsaVerify, selftestEcho, selftestFault];
export const OPS = new Map(all.map((o) => [o.id, o]));
export const OP_IDS = all.map((o) => o.id);
