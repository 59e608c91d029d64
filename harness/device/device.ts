// One booted firmware image: send an op, wait for its RESULT (or a FAULT,
// a link error, QEMU dying, or the deadline), and pair it with the
// instruction count the plugin wrote for it.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Board } from '../catalog/boards.js';
import type { Elf } from '../elf/elf.js';
import type { CountEvent, CountReader, PluginClock } from './counts.js';
import { decodeFault, decodeResult, encodeFrame, encodeOp, FrameDecoder, parseHello, type FaultRecord, type Frame, type OpResult } from './link.js';
import { FRAME, LINK_ERRORS } from '../contract/link.js';
import { cpuTimeMs, type OpLimit } from './deadline.js';
import { charge, countOp, currentAccount, type TimingAccount } from '../core/timing.js';

/** A count reader that keeps no clock (a test's fake): every figure stays 0. */
const NO_CLOCK: PluginClock = Object.freeze({ bracketNs: 0, spanInsns: 0, brackets: 0, dumpNs: 0, executed: null });

/** The device stopped answering: faulted, died, timed out or broke the link. */
export class DeviceFailure extends Error {
  /** Cut off by a host-clock deadline (wall or QEMU CPU time), not by the op's instruction limit:
   *  what it says depends on how busy the host was, so it is never an answer about the library. */
  hostTimed?: boolean;
  constructor(
    message: string,
    readonly kind: 'fault' | 'exit' | 'timeout' | 'link',
    readonly fault?: FaultRecord & { pcSymbol: string; lrSymbol: string },
  ) {
    super(message);
  }
}

/** The other end of the device's datagram transport (a relay to a UDP peer). */
export interface NetPeer {
  /** conn: the device's connection number within the op (DGRAM seq byte; 1 = a resumed handshake's connection). */
  send(datagram: Uint8Array, conn: number): void;
  /** Next datagram from the peer, or null if none arrives within timeoutMs. */
  recv(timeoutMs: number, conn: number): Promise<Uint8Array | null>;
}

export interface OpOutcome {
  result: OpResult;
  count?: CountEvent; // absent when the op did not bracket a counted region
  extraCounts: number; // more than one counted region: a bracketing bug
  /** Time mode (nothing counted): the bracket's executed instructions, per block, approximate; for deadlines only, never a measurement. */
  spanInstructions?: number;
}

/**
 * An op run only for its answer (a Wycheproof case): on a device in count
 * mode the plugin switches to time mode for it (nothing counted, near QEMU's
 * raw speed) and back to counting after the `last` one, and it is cut off by
 * its instruction limit. The device's history (RNG, heap) is the same as if
 * it had been counted.
 */
export interface VerdictOnly {
  last: boolean;
}

interface Deps {
  board: Board;
  elf: Elf;
  socket: Socket;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
  counts: CountReader;
  cleanup: () => void;
  /** The plugin's mode (qemu.ts PluginMode): in time mode brackets are timed, not counted. */
  mode?: string;
  /** Count and time modes: the file the plugin reads, as each op's bracket opens, its instruction limit and how to instrument it. */
  ctlFile?: string;
}

export class Device {
  hello: Record<string, string> = {};
  ops = new Set<string>();
  linkErrors: string[] = [];
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private seq = 0;
  private exitCode: number | null | undefined;
  private closed = false;
  private corrupt = 0;
  private decoder: FrameDecoder;
  /** The timing account of the image that booted this device (core/timing.ts). */
  private readonly account: TimingAccount | undefined = currentAccount();
  private executedTallied = false;

  constructor(private readonly d: Deps) {
    this.decoder = new FrameDecoder(0xffff);
    d.socket.on('data', (chunk: Buffer) => {
      for (const ev of this.decoder.push(chunk)) {
        if (ev.kind === 'frame') this.frames.push(ev.frame);
        else if (ev.kind === 'corrupt') {
          this.linkErrors.push(`corrupt frame from device (type 0x${ev.type.toString(16)}, seq ${ev.seq}): ${ev.reason}`);
          this.corrupt++;
        }
      }
      this.wake();
    });
    d.socket.on('error', () => this.wake());
    d.socket.on('close', () => this.wake());
    d.exited.then((code) => { this.exitCode = code; this.wake(); this.finish(); });
  }

  get board() { return this.d.board; }
  get elf() { return this.d.elf; }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private finish() {
    if (this.closed) return;
    this.closed = true;
    this.tallyExecuted();
    this.d.socket.destroy();
    this.d.cleanup();
  }

  /** Instructions QEMU executed, as the plugin last said (at exit, or at the last bracket of a killed QEMU). */
  private tallyExecuted() {
    if (this.executedTallied) return;
    this.executedTallied = true;
    try {
      this.d.counts.take();
    } catch {
      // the count file is gone: keep what was read
    }
    if (this.account) this.account.guest.executed += this.d.counts.clock?.executed ?? 0;
  }

  /** Wait for a frame accepted by `pick`, failing on death or deadline. */
  private async next(pick: (f: Frame) => boolean, timeoutMs: number, what: string, cpu?: { start: number; budget: number }): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    const corruptBefore = this.corrupt;
    let ioDrained = false;
    for (;;) {
      const i = this.frames.findIndex((f) => pick(f) || f.type === FRAME.FAULT);
      if (i >= 0) {
        const f = this.frames.splice(i, 1)[0]!;
        if (f.type === FRAME.FAULT && !pick(f)) throw this.faultFailure(f);
        return f;
      }
      // A frame we were waiting for may be the one that arrived damaged:
      // say so now rather than waiting out the deadline.
      if (this.corrupt > corruptBefore) throw new DeviceFailure(`link: ${this.linkErrors.at(-1)} while waiting for ${what}`, 'link');
      if (this.exitCode !== undefined) {
        const lockup = this.lockup();
        if (lockup) throw lockup;
        const limit = this.limitHit();
        if (limit !== undefined) throw new DeviceFailure(`no ${what} within ${limit} instructions, its instruction budget (device killed)`, 'timeout');
        throw new DeviceFailure(`device exited (status ${this.exitCode}) while waiting for ${what}${this.d.stderr().trim() ? ': ' + this.d.stderr().trim().slice(-500) : ''}`, 'exit');
      }
      const left = deadline - Date.now();
      // A timer can fire before the socket's data is read (a blocked event loop runs timers first):
      // before any verdict of "no answer", let pending I/O in once and look again.
      const used = cpu ? (this.cpuMs() ?? cpu.start) - cpu.start : 0;
      const overCpu = cpu !== undefined && used > cpu.budget;
      if ((left <= 0 || overCpu) && !ioDrained) {
        ioDrained = true;
        await new Promise<void>((res) => setImmediate(res));
        continue;
      }
      ioDrained = false;
      if (left <= 0) {
        this.kill();
        throw Object.assign(new DeviceFailure(`no ${what} within ${timeoutMs} ms (device killed)`, 'timeout'), { hostTimed: true });
      }
      if (overCpu) {
        this.kill();
        throw Object.assign(new DeviceFailure(`no ${what} after ${used} ms of emulator CPU time, over its budget of ${Math.round(cpu!.budget)} ms (device killed)`, 'timeout'), { hostTimed: true });
      }
      await new Promise<void>((res) => {
        // With a CPU-time budget, look again every 250 ms: CPU time has no timer of its own.
        const t = setTimeout(res, cpu ? Math.min(left, 250) : left);
        this.waiters.push(() => { clearTimeout(t); res(); });
      });
    }
  }

  private faultFailure(f: Frame): DeviceFailure {
    const fault = decodeFault(f.payload);
    const full = { ...fault, pcSymbol: this.d.elf.symbolize(fault.pc), lrSymbol: this.d.elf.symbolize(fault.lr) };
    const why = fault.causes.length ? ` (${fault.causes.join('; ')})` : '';
    return new DeviceFailure(`${fault.name}${why} at ${full.pcSymbol} [pc=0x${fault.pc.toString(16)} lr=${full.lrSymbol}]`, 'fault', full);
  }

  /** The plugin killed QEMU for running past the op's instruction limit (a verdict-only op). */
  private limitHit(): number | undefined {
    try {
      this.d.counts.take();
    } catch {
      // the count file is gone
    }
    return this.d.counts.clock?.limitHit;
  }

  /** QEMU stops with "qemu: fatal: Lockup ..." and a register dump when
   *  the core locks up (a fault while taking a fault: on ARMv7-M typically
   *  a stack overflow, where even the exception frame cannot be pushed). */
  private lockup(): DeviceFailure | undefined {
    const err = this.d.stderr();
    const fatal = /qemu: fatal: (.*)/.exec(err);
    if (!fatal) return undefined;
    const reg = (n: number) => { const m = new RegExp(`R${String(n).padStart(2, '0')}=([0-9a-f]{8})`).exec(err); return m ? parseInt(m[1]!, 16) : 0; };
    const pc = reg(15), lr = reg(14), sp = reg(13);
    const limit = this.d.elf.symbols.find((x) => x.name === '__stack_limit')?.value;
    const overflow = limit !== undefined && sp < limit + 256;
    const causes = [fatal[1]!.trim(), ...(overflow ? [`stack overflow: SP 0x${sp.toString(16)} is at the stack limit 0x${limit!.toString(16)}`] : [])];
    const fault = { exception: 0, name: 'Lockup', pc, lr, xpsr: 0, sp, cfsr: 0, hfsr: 0, mmfar: 0, bfar: 0, causes, pcSymbol: this.d.elf.symbolize(pc), lrSymbol: this.d.elf.symbolize(lr) };
    return new DeviceFailure(`CPU lockup (${causes.join('; ')}) at ${fault.pcSymbol} [pc=0x${pc.toString(16)} lr=${fault.lrSymbol}]`, 'fault', fault);
  }

  async waitHello(timeoutMs: number) {
    const f = await this.next((f) => f.type === FRAME.HELLO, timeoutMs, 'HELLO');
    this.hello = parseHello(f.payload);
    this.ops = new Set((this.hello.ops ?? '').split(',').filter(Boolean));
  }

  send(type: number, seq: number, payload: Uint8Array) {
    this.d.socket.write(encodeFrame(type, seq, payload));
  }

  /** Run one op. With `net`, datagrams the op sends go to the peer and its
   *  receive requests are answered from it; the deadline covers the whole op. */
  /** QEMU's CPU time so far (user + system), or null once it is gone. */
  cpuMs(): number | null {
    return cpuTimeMs(this.d.child.pid);
  }

  async op(name: string, args: Uint8Array[], limit: number | OpLimit, net?: NetPeer, verdict?: VerdictOnly): Promise<OpOutcome> {
    // Where the op's wall time goes (core/timing.ts): inside its bracket (the
    // plugin's clock), waiting for the network peer, or the rest (link).
    const t0 = performance.now();
    const clock = this.d.counts.clock ?? NO_CLOCK;
    const ns0 = clock.bracketNs, span0 = clock.spanInsns, dump0 = clock.dumpNs;
    const waited = { ms: 0, takeMs: 0 };
    countOp();
    const base = this.d.mode ?? 'count';
    const verdictOnly = base === 'time' || (!!verdict && base === 'count');
    if (this.d.ctlFile) {
      // LIMIT MODE AFTER (plugin/insn-count.c ctl=): only verdict-only ops get an instruction limit.
      const instructions = verdictOnly && typeof limit !== 'number' ? limit.instructions ?? 0 : 0;
      const after = base === 'time' || (verdict && !verdict.last) ? 'time' : 'count';
      writeFileSync(this.d.ctlFile, `${instructions} ${verdictOnly ? 'time' : 'count'} ${after}\n`);
    }
    try {
      const out = await this.opInner(name, args, limit, waited, net);
      const wall = performance.now() - t0;
      const bracket = (clock.bracketNs - ns0) / 1e6;
      // addr mode: the plugin writing the per-address profile and the harness reading it.
      const profile = this.d.mode === 'addr' ? (clock.dumpNs - dump0) / 1e6 + waited.takeMs : 0;
      charge(verdictOnly ? 'verdicts' : 'emulation', bracket);
      charge('wait', waited.ms);
      charge('profile', profile);
      charge('link', wall - bracket - waited.ms - profile);
      if (this.account) {
        if (verdictOnly) this.account.guest.verdicts += clock.spanInsns - span0;
        else this.account.guest.counted += out.count?.instructions ?? 0;
      }
      return verdictOnly && clock.spanInsns > span0 ? { ...out, spanInstructions: clock.spanInsns - span0 } : out;
    } catch (e) {
      charge('wait', waited.ms);
      charge('failures', performance.now() - t0 - waited.ms);
      throw e;
    }
  }

  private async opInner(name: string, args: Uint8Array[], limit: number | OpLimit, waited: { ms: number; takeMs: number }, net?: NetPeer): Promise<OpOutcome> {
    const { wallMs: timeoutMs, cpuMs: cpuBudget } = typeof limit === 'number' ? { wallMs: limit, cpuMs: undefined } : limit;
    const cpuStart = cpuBudget !== undefined ? this.cpuMs() : null;
    const cpu = cpuStart !== null && cpuBudget !== undefined ? { start: cpuStart, budget: cpuBudget } : undefined;
    const seq = (this.seq = (this.seq + 1) & 0xff);
    const payload = encodeOp(name, args);
    const max = Number(this.hello.linkmax ?? 0);
    if (max && payload.length > max) throw new DeviceFailure(`inputs of ${name} (${payload.length} B) exceed the board's link buffer (${max} B)`, 'link');
    this.send(FRAME.OP, seq, payload);
    const deadline = Date.now() + timeoutMs;
    // A RESULT or ERROR for another seq is a duplicate or a leftover from an
    // op that timed out: dropped, and noted.
    this.frames = this.frames.filter((f) => {
      const stale = f.type === FRAME.RESULT || f.type === FRAME.ERROR;
      if (stale) this.linkErrors.push(`dropped a stale ${f.type === FRAME.RESULT ? 'RESULT' : 'ERROR'} frame (seq ${f.seq})`);
      return !stale;
    });
    const mine = (f: Frame) => ((f.type === FRAME.RESULT || f.type === FRAME.ERROR) && f.seq === seq) || f.type === FRAME.DGRAM || f.type === FRAME.RECV;
    for (;;) {
      const f = await this.next(mine, Math.max(1, deadline - Date.now()), `result of ${name}`, cpu);
      if (f.type === FRAME.DGRAM) {
        if (!net) throw new DeviceFailure(`${name} sent a datagram but no network peer is attached`, 'link');
        net.send(f.payload, f.seq);
        continue;
      }
      if (f.type === FRAME.RECV) {
        if (!net) throw new DeviceFailure(`${name} waits for a datagram but no network peer is attached`, 'link');
        const wait = new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0, true);
        const w0 = performance.now();
        const c0 = cpu ? this.cpuMs() : null;
        const d = await net.recv(Math.min(wait, Math.max(1, deadline - Date.now())), f.seq);
        waited.ms += performance.now() - w0;
        // The guest polls its UART while the peer takes its time: QEMU's CPU time then is waiting, not work,
        // so the CPU-time budget does not pay for it (a peer's 4 s retransmission timer is not a hung device).
        const c1 = c0 !== null ? this.cpuMs() : null;
        if (cpu && c0 !== null && c1 !== null) cpu.start += c1 - c0;
        if (d) this.send(FRAME.DGRAM, 0, d);
        else this.send(FRAME.TIMEOUT, 0, new Uint8Array(0));
        continue;
      }
      if (f.type === FRAME.ERROR) throw new DeviceFailure(`device rejected the request: ${LINK_ERRORS[f.payload[0] ?? 0] ?? 'error ' + f.payload[0]}`, 'link');
      const result = decodeResult(f.payload);
      const tk = performance.now();
      const counts = this.d.counts.take();
      waited.takeMs += performance.now() - tk;
      return { result, count: counts[0], extraCounts: Math.max(0, counts.length - 1) };
    }
  }

  /** Ask the firmware to power off; returns its exit status. */
  async exit(timeoutMs = 10000): Promise<number | null> {
    if (this.exitCode === undefined) {
      this.send(FRAME.EXIT, 0, new Uint8Array(0));
      const t = setTimeout(() => this.kill(), timeoutMs);
      await this.d.exited;
      clearTimeout(t);
    }
    this.tallyExecuted();
    this.finish();
    return this.exitCode ?? null;
  }

  kill() {
    if (this.exitCode === undefined) this.d.child.kill('SIGKILL');
  }
}
