// Link faults seen by the host side of a device session: a duplicated,
// a corrupted and a truncated RESULT, and a device that goes silent. The
// transport here is an in-memory socket pair, so every byte is under the
// test's control; the real-QEMU path is covered by the integration tests.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { Device, DeviceFailure } from '../../harness/device/device.js';
import { encodeFrame } from '../../harness/device/link.js';
import { FRAME } from '../../harness/contract/link.js';
import type { Elf } from '../../harness/elf/elf.js';
import { boards } from '../../harness/catalog/boards.js';

class FakeSocket extends EventEmitter {
  written: Uint8Array[] = [];
  write(b: Uint8Array) { this.written.push(b); return true; }
  destroy() {}
  deliver(bytes: Uint8Array) { this.emit('data', Buffer.from(bytes)); }
}

function session() {
  const socket = new FakeSocket();
  let exit!: (c: number | null) => void;
  const exited = new Promise<number | null>((r) => (exit = r));
  let counted = 0;
  const child = { kill: () => exit(-9) } as unknown as ChildProcess;
  const elf = { symbolize: (a: number) => `0x${a.toString(16)}`, symbols: [] } as unknown as Elf;
  const dev = new Device({
    board: boards().get('mps2-an385')!, elf, socket: socket as unknown as Socket, child, exited, stderr: () => '',
    counts: { take: () => (counted ? [{ instructions: counted }] : []) } as never, cleanup: () => {},
  });
  return { dev, socket, setCount: (n: number) => (counted = n), exit };
}

const result = (status = 0) => {
  const p = new Uint8Array(14);
  new DataView(p.buffer).setInt32(0, status, true);
  p[12] = 1;
  return p;
};

describe('device session over a faulty link', () => {
  it('drops a duplicated RESULT instead of taking it as the next op\'s answer', async () => {
    const { dev, socket, setCount } = session();
    setCount(100);
    const first = dev.op('x', [], 1000);
    const res1 = encodeFrame(FRAME.RESULT, 1, result(0));
    socket.deliver(new Uint8Array([...res1, ...res1])); // the device's frame, twice
    expect((await first).result.status).toBe(0);
    const second = dev.op('x', [], 1000);
    socket.deliver(encodeFrame(FRAME.RESULT, 2, result(1)));
    expect((await second).result.status).toBe(1);
    expect(dev.linkErrors.join()).toMatch(/dropped a stale RESULT frame \(seq 1\)/);
  });

  it('fails the op at once when its RESULT arrives corrupted', async () => {
    const { dev, socket } = session();
    const t = Date.now();
    const op = dev.op('x', [], 10_000);
    const bad = encodeFrame(FRAME.RESULT, 1, result(0));
    bad[8]! ^= 0xff;
    socket.deliver(bad);
    const err = await op.catch((e) => e);
    expect(err).toBeInstanceOf(DeviceFailure);
    expect(err.kind).toBe('link');
    expect(err.message).toMatch(/bad CRC/);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('times out cleanly on a truncated RESULT and kills the device', async () => {
    const { dev, socket } = session();
    const op = dev.op('x', [], 300);
    socket.deliver(encodeFrame(FRAME.RESULT, 1, result(0)).subarray(0, 12));
    const err = await op.catch((e) => e);
    expect(err).toBeInstanceOf(DeviceFailure);
    expect(err.kind).toBe('timeout');
  });

  it('reports a device that exits mid-op', async () => {
    const { dev, exit } = session();
    const op = dev.op('x', [], 5000);
    exit(3);
    const err = await op.catch((e) => e);
    expect(err.kind).toBe('exit');
    expect(err.message).toMatch(/status 3/);
  });

  it('decodes a FAULT frame into an error naming the fault', async () => {
    const { dev, socket } = session();
    const op = dev.op('x', [], 5000);
    const p = new Uint8Array(40);
    [5, 0x1234, 0x99, 0, 0x20000000, 0xfffffff9, 1 << 9].forEach((v, i) => new DataView(p.buffer).setUint32(i * 4, v >>> 0, true));
    socket.deliver(encodeFrame(FRAME.FAULT, 0, p));
    const err = await op.catch((e) => e);
    expect(err.kind).toBe('fault');
    expect(err.message).toMatch(/^BusFault \(PRECISERR: precise data bus error\) at 0x1234/);
  });

  it('reads an answer that is on the socket before it calls the op timed out (a blocked event loop runs timers first)', async () => {
    // A real socket: the answer waits in the kernel while the loop is blocked, as
    // it does when a synchronous build or analysis holds the harness's thread.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = new Promise<Socket>((r) => server.once('connection', r));
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', r));
    const socket = await accepted;
    let exit!: (c: number | null) => void;
    const exited = new Promise<number | null>((r) => (exit = r));
    const dev = new Device({
      board: boards().get('mps2-an385')!, elf: { symbolize: () => '', symbols: [] } as unknown as Elf, socket, child: { kill: () => exit(-9) } as unknown as ChildProcess,
      exited, stderr: () => '', counts: { take: () => [{ instructions: 1 }] } as never, cleanup: () => {},
    });
    try {
      const op = dev.op('x', [], 200);
      setTimeout(() => setImmediate(() => {
        client.write(encodeFrame(FRAME.RESULT, 1, result(0)));
        const until = Date.now() + 400; // past the op's 200 ms, in the check phase: the next thing the loop runs is timers
        while (Date.now() < until);
      }), 20);
      expect((await op).result.status).toBe(0);
    } finally {
      client.destroy();
      socket.destroy();
      server.close();
    }
  });

  it('does not charge the CPU-time budget for the peer\'s wait: a busy guest polling its UART is not working', async () => {
    // A process that burns CPU stands for QEMU while the guest polls an empty UART.
    const spinner = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    try {
      const socket = new FakeSocket();
      const dev = new Device({
        board: boards().get('mps2-an385')!, elf: { symbolize: () => '', symbols: [] } as unknown as Elf, socket: socket as unknown as Socket,
        child: spinner, exited: new Promise(() => {}), stderr: () => '', counts: { take: () => [{ instructions: 1 }] } as never, cleanup: () => {},
      });
      // The peer answers after 1.2 s of wall time, while the spinner burns ~1.2 s of CPU: three times the op's budget.
      const net = { send: () => {}, recv: () => new Promise<Uint8Array | null>((r) => setTimeout(() => r(Uint8Array.of(1)), 1200)) };
      const op = dev.op('x', [], { wallMs: 10_000, cpuMs: 400 }, net);
      const recv = new Uint8Array(4);
      new DataView(recv.buffer).setUint32(0, 5000, true);
      socket.deliver(encodeFrame(FRAME.RECV, 0, recv));
      // The device answers once the datagram is in.
      const answered = new Promise<void>((r) => { const orig = socket.write.bind(socket); socket.write = (b: Uint8Array) => { const ok = orig(b); if (socket.written.length > 1) setTimeout(() => { socket.deliver(encodeFrame(FRAME.RESULT, 1, result(0))); r(); }, 10); return ok; }; });
      expect((await op).result.status).toBe(0);
      await answered;
    } finally {
      spinner.kill('SIGKILL');
    }
  });
});
