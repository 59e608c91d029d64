// Where things live. Everything is relative to the repository root so a
// clone anywhere works; CERTCOST_CACHE moves the third-party cache.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = process.env.CERTCOST_CACHE ? resolve(process.env.CERTCOST_CACHE) : join(ROOT, '.cache');
export const FIRMWARE = join(ROOT, 'firmware');
export const BUILD = join(ROOT, 'build');
/** The counting plugin: certcost's own code, built per checkout (plugin/Makefile). */
export const PLUGIN = join(BUILD, 'plugin', 'insn-count.so');
export const PLUGIN_SRC = join(ROOT, 'plugin');
export const QEMU = process.env.CERTCOST_QEMU ?? 'qemu-system-arm';
export const TOOL_VERSION = '0.1.0';
