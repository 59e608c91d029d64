// Boards are defined once, in firmware/boards/<id>.mk (one file per board),
// which both make and the harness read. The harness needs the QEMU machine,
// the core and the memory budget.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE } from '../core/paths.js';

export interface Board {
  id: string;
  core: string; // e.g. cortex-m4
  qemuMachine: string;
  flashBytes: number;
  ramBytes: number;
  stackBytes: number;
  heapBytes: number; // fixed heap arena (firmware/ld/cortex-m.ld.in)
  linkMax: number;
  description: string;
}

function size(v: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([KM]?)$/i.exec(v.trim());
  if (!m) throw new Error(`bad size '${v}'`);
  const n = Number(m[1]);
  return n * (m[2] === 'K' ? 1024 : m[2] === 'M' ? 1024 * 1024 : 1);
}

export function parseBoardMk(id: string, text: string): Board {
  const vars: Record<string, string> = {};
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    const c = /^#\s?(.*)$/.exec(line);
    if (c) { comments.push(c[1]!); continue; }
    const m = /^([A-Z_]+)\s*:?=\s*(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.trim();
  }
  const need = (k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`firmware/boards/${id}.mk: missing ${k}`);
    return v;
  };
  return {
    id,
    core: need('BOARD_CORE'),
    qemuMachine: need('QEMU_MACHINE'),
    flashBytes: size(need('FLASH_SIZE')),
    ramBytes: size(need('RAM_SIZE')),
    stackBytes: size(need('STACK_SIZE')),
    heapBytes: size(need('HEAP_SIZE')),
    linkMax: Number(need('LINK_MAX')),
    description: comments.join(' '),
  };
}

let cache: Map<string, Board> | undefined;
export function boards(): Map<string, Board> {
  if (!cache) {
    cache = new Map();
    const dir = join(FIRMWARE, 'boards');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.mk')).sort()) {
      const id = f.slice(0, -3);
      cache.set(id, parseBoardMk(id, readFileSync(join(dir, f), 'utf8')));
    }
  }
  return cache;
}
