// Boots one firmware image in QEMU with the counting plugin and hands back
// a Device: a request/response session over the framed link on a Unix
// socket. QEMU connects to our socket as a client, so no byte the firmware
// sends at boot can be missed; each boot gets its own temporary directory,
// so concurrent boots never share a socket or a count file. QEMU dies with
// the harness however the harness dies (core/child.ts), and the directory is
// removed then too (core/lifecycle.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { spawnGuarded } from '../core/child.js';
import { makeTempDir, removeTempDir } from '../core/lifecycle.js';
import type { Board } from '../catalog/boards.js';
import { Elf } from '../elf/elf.js';
import { CACHE, PLUGIN, PLUGIN_SRC, QEMU } from '../core/paths.js';
import { CountReader } from './counts.js';
import { Device } from './device.js';
import { countBoot } from '../core/timing.js';

/**
 * count: exact instructions per bracket; addr: plus per-address counts and
 * edges (the cycle model); time: no per-instruction counting (near QEMU's raw
 * speed), for runs that need only the device's answers; the op's bracket is
 * timed, not counted; none: no plugin at all (QEMU's raw speed, for the
 * perf benchmark's reference; nothing is counted or timed on the device).
 */
export type PluginMode = 'count' | 'addr' | 'time' | 'none';

/** Nice value of QEMU's main (I/O) thread, above the default 0 (see boot()). */
const MAIN_LOOP_PRIORITY = -10;

export interface BootOptions {
  board: Board;
  elfPath: string;
  mode?: PluginMode;
  bootTimeoutMs?: number;
}

let pluginChecked = false;
/** Builds the plugin if it is missing or older than its source (make: a no-op otherwise); once per process. */
export function ensurePlugin(): string {
  if (pluginChecked && existsSync(PLUGIN)) return PLUGIN;
  const r = spawnSync('make', ['-s', '-C', PLUGIN_SRC, `CACHE=${CACHE}`, `OUT=${PLUGIN}`], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(PLUGIN)) throw new Error(`counting plugin not built (${PLUGIN}): ${(r.stderr || r.stdout || '').trim().slice(-1000)}; run 'make setup'`);
  pluginChecked = true;
  return PLUGIN;
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
  ensurePlugin();
  const elf = Elf.read(opts.elfPath);
  const dir = makeTempDir('qemu');
  const sock = join(dir, 'link.sock');
  const countFile = join(dir, 'counts.txt');
  const mark = (n: string) => '0x' + (elf.symbol(n).value & ~1).toString(16);
  // count and time modes: the harness says per op how to instrument it and its instruction limit (plugin/insn-count.c ctl=).
  const ctlFile = opts.mode === 'time' || opts.mode === 'count' || opts.mode === undefined ? join(dir, 'ctl.txt') : undefined;
  const pluginArg = [PLUGIN, `out=${countFile}`, `mode=${opts.mode ?? 'count'}`, `start=${mark('cc_mark_start')}`, `stop=${mark('cc_mark_stop')}`, `pause=${mark('cc_mark_pause')}`, `resume=${mark('cc_mark_resume')}`, ...(ctlFile ? [`ctl=${ctlFile}`] : [])].join(',');

  const server: Server = createServer();
  await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(sock, () => res()); });
  const connected = new Promise<Socket>((res) => server.once('connection', res));
  const args = qemuArgs(opts.board, opts.elfPath, sock, pluginArg);
  if (opts.mode === 'none') args.splice(-2, 2);
  const child = spawnGuarded(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

  countBoot();
  const device = new Device({ board: opts.board, elf, socket, child, exited, stderr: () => stderr, counts: new CountReader(countFile), cleanup, mode: opts.mode ?? 'count', ctlFile });
  try {
    await device.waitHello(timeout);
  } catch (e) {
    device.kill();
    throw e;
  }
  // Wake QEMU's main loop once the firmware listens. The nRF51 UART model
  // does not tell the character backend when the firmware starts its
  // receiver, so the main loop only looks at the socket again at its next
  // wake-up, up to a second later: the micro:bit's first op waited ~1 s
  // after every boot. QEMU blocks SIGIO in every thread and reads it
  // through a signalfd (main-loop.c), so the signal only wakes the loop.
  // Nothing the guest executes changes.
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGIO');
  // The link moves one byte per round of QEMU's main loop (its main thread),
  // while the emulated CPU (a thread of its own) spins on the UART's status
  // register waiting for it: on a busy host the main loop waits for a core
  // behind the spinning CPUs, and a byte took 70-140 us instead of 25-40 us.
  // The main thread does I/O only, so it may go first. Now, not at spawn:
  // the CPU thread exists by HELLO and keeps its own priority. Without the
  // privilege to raise a priority this is skipped; nothing measured changes.
  try {
    if (child.pid !== undefined) setPriority(child.pid, MAIN_LOOP_PRIORITY);
  } catch {
    // not permitted: the link is only slower
  }
  return device;
}
