// Boards are defined once, in firmware/boards/<id>.mk (one file per board),
// which both make and the harness read. The harness needs the QEMU machine,
// the core and the memory budget. A scenario may name a board file of its
// own (an MCU of the user's, registerBoardFile): it describes a part
// emulated on one of the QEMU machines the built-in boards use, so its
// memory must fit that machine's.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  /** A board file outside the tree (absolute path); built-in boards have none. */
  file?: string;
  /** The memory map and UART the firmware is built for (a user's board file must match its machine's). */
  map: { flashOrigin: number; ramOrigin: number; uartDriver: string; uartBase: string };
}

function size(v: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([KM]?)$/i.exec(v.trim());
  if (!m) throw new Error(`bad size '${v}'`);
  const n = Number(m[1]);
  return n * (m[2] === 'K' ? 1024 : m[2] === 'M' ? 1024 * 1024 : 1);
}

export function parseBoardMk(id: string, text: string, file = `firmware/boards/${id}.mk`): Board {
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
    if (v === undefined) throw new Error(`${file}: missing ${k}`);
    return v;
  };
  need('BOARD_CPU_FLAGS');
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
    map: { flashOrigin: Number(need('FLASH_ORIGIN')), ramOrigin: Number(need('RAM_ORIGIN')), uartDriver: need('UART_DRIVER'), uartBase: need('UART_BASE').toLowerCase() },
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

/**
 * A board file of the user's: its id is the file's name without `.mk`. It
 * must name a QEMU machine a built-in board uses, with that board's core,
 * memory origins and UART, and no more flash or RAM than that board has
 * (QEMU's machine stops there). Throws a message naming what is wrong.
 */
export function registerBoardFile(path: string): Board {
  const id = basename(path).replace(/\.mk$/, '');
  if (!path.endsWith('.mk') || !/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`${path}: a board file is named <id>.mk, id in lowercase letters, digits and dashes`);
  const known = boards().get(id);
  if (known && known.file !== path) throw new Error(`${path}: board id '${id}' is taken by ${known.file ?? 'a built-in board'}; rename the file`);
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the board file: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`);
  }
  const b = { ...parseBoardMk(id, text, path), file: path };
  const hosts = [...boards().values()].filter((x) => !x.file && x.qemuMachine === b.qemuMachine);
  if (!hosts.length) throw new Error(`${path}: QEMU_MACHINE ${b.qemuMachine} is not one certcost runs (${[...new Set([...boards().values()].map((x) => x.qemuMachine))].join(', ')})`);
  const host = hosts.reduce((a, x) => (x.flashBytes + x.ramBytes > a.flashBytes + a.ramBytes ? x : a));
  const differs = [
    b.core !== host.core && `BOARD_CORE ${b.core} (the machine runs ${host.core})`,
    b.map.flashOrigin !== host.map.flashOrigin && `FLASH_ORIGIN (the machine's is 0x${host.map.flashOrigin.toString(16)})`,
    b.map.ramOrigin !== host.map.ramOrigin && `RAM_ORIGIN (the machine's is 0x${host.map.ramOrigin.toString(16)})`,
    (b.map.uartDriver !== host.map.uartDriver || b.map.uartBase !== host.map.uartBase) && `UART (the machine's is ${host.map.uartDriver} at ${host.map.uartBase})`,
    b.flashBytes > host.flashBytes && `FLASH_SIZE ${b.flashBytes} B (at most ${host.flashBytes} B on ${b.qemuMachine})`,
    b.ramBytes > host.ramBytes && `RAM_SIZE ${b.ramBytes} B (at most ${host.ramBytes} B on ${b.qemuMachine})`,
    b.stackBytes + b.heapBytes >= b.ramBytes && `STACK_SIZE + HEAP_SIZE ${b.stackBytes + b.heapBytes} B leave no RAM of ${b.ramBytes} B for static data`,
  ].filter(Boolean);
  if (differs.length) throw new Error(`${path}: does not fit QEMU machine ${b.qemuMachine} as board ${host.id} describes it: ${differs.join('; ')}`);
  boards().set(id, b);
  return b;
}
