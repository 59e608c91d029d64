// Libraries are the adapter folders under firmware/adapters/ (one per
// library behind the one C ops interface). An adapter may restrict the
// cores it runs on: `LIB_CORES := cortex-m4 ...` with `LIB_CORES_WHY := ...`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE } from './paths.js';

export const LIBRARY_IDS = ['mbedtls', 'micro-ecc', 'wolfssl', 'tinydtls', 'p256-m4'] as const;

export interface Library {
  id: string;
  available: boolean; // an adapter exists in this tree
  cores?: string[];
  coresWhy?: string;
}

export function library(id: string): Library {
  const mk = join(FIRMWARE, 'adapters', id, 'adapter.mk');
  if (!existsSync(mk)) return { id, available: false };
  const vars: Record<string, string> = {};
  for (const line of readFileSync(mk, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)\s*:?=\s*(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.trim();
  }
  return { id, available: true, cores: vars.LIB_CORES?.split(/\s+/).filter(Boolean), coresWhy: vars.LIB_CORES_WHY };
}

export function adapterIds(): string[] {
  return readdirSync(join(FIRMWARE, 'adapters')).filter((d) => existsSync(join(FIRMWARE, 'adapters', d, 'adapter.mk'))).sort();
}
