// Boots one firmware image in QEMU with the counting plugin and hands back
// a Device: a request/response session over the framed link on a Unix
// socket. QEMU connects to our socket as a client, so no byte the firmware
// sends at boot can be missed; each boot gets its own temporary directory,
// so concurrent boots never share a socket or a count file. QEMU dies with
// the harness however the harness dies (core/child.ts), and the directory is
// removed then too (core/lifecycle.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnGuarded } from '../core/child.js';
import { makeTempDir, removeTempDir } from '../core/lifecycle.js';
import type { Board } from '../catalog/boards.js';
import { Elf } from '../elf/elf.js';
import { PLUGIN, QEMU } from '../core/paths.js';
import { CountReader } from './counts.js';
import { Device } from './device.js';

export interface BootOptions {
  board: Board;
  elfPath: string;
  mode?: 'count' | 'addr';
  bootTimeoutMs?: number;
}

export function qemuArgs(board: Board, elfPath: string, socketPath: string, pluginArg: string): string[] {
  return [
    '-M', board.qemuMachine,
    '-display', 'none', '-monitor', 'none', '-no-reboot',
    '-chardev', `socket,id=link,path=${socketPath}`,
    '-serial', 'chardev:link',
    '-semihosting-config', 'enable=on,target=native',
    '-kernel', elfPath,
    '-plugin', pluginArg,
  ];
}

export async function boot(opts: BootOptions): Promise<Device> {
  if (!existsSync(PLUGIN)) throw new Error(`counting plugin not built (${PLUGIN}): run 'make setup'`);
  const elf = Elf.read(opts.elfPath);
  const dir = makeTempDir('qemu');
  const sock = join(dir, 'link.sock');
  const countFile = join(dir, 'counts.txt');
  const mark = (n: string) => '0x' + (elf.symbol(n).value & ~1).toString(16);
  const pluginArg = [PLUGIN, `out=${countFile}`, `mode=${opts.mode ?? 'count'}`, `start=${mark('cc_mark_start')}`, `stop=${mark('cc_mark_stop')}`, `pause=${mark('cc_mark_pause')}`, `resume=${mark('cc_mark_resume')}`].join(',');

  const server: Server = createServer();
  await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(sock, () => res()); });
  const connected = new Promise<Socket>((res) => server.once('connection', res));
  const child = spawnGuarded(QEMU, qemuArgs(opts.board, opts.elfPath, sock, pluginArg), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.length > 20000) stderr = stderr.slice(-20000); });
  child.stdout!.on('data', () => {});
  const exited = new Promise<number | null>((res) => child.on('exit', (code, signal) => { res(code ?? (signal ? -1 : null)); }));
  const cleanup = () => { server.close(); removeTempDir(dir); };

  const timeout = opts.bootTimeoutMs ?? 30000;
  const socket = await Promise.race([
    connected,
    exited.then((code) => { throw new Error(`QEMU exited (${code}) before connecting: ${stderr.trim()}`); }),
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`QEMU did not connect within ${timeout} ms`)), timeout).unref()),
  ]).catch((e) => { child.kill('SIGKILL'); cleanup(); throw e; });
  server.close();

  const device = new Device({ board: opts.board, elf, socket, child, exited, stderr: () => stderr, counts: new CountReader(countFile), cleanup });
  try {
    await device.waitHello(timeout);
  } catch (e) {
    device.kill();
    throw e;
  }
  return device;
}
