// Faults on the device, a harness killed mid-suite and resumed, and
// parallel images: each must end in the same results as a calm run.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boards } from '../../harness/catalog/boards.js';
import { buildImage } from '../../harness/build/firmware.js';
import { boot } from '../../harness/device/qemu.js';
import { DeviceFailure } from '../../harness/device/device.js';
import type { OpLimit } from '../../harness/device/deadline.js';
import { main } from '../../harness/cli.js';
import { ResultsSchema, type Results } from '../../harness/record/schema.js';

async function fault(board: string, kind: number, limit: number | OpLimit = 5000, cflags: string[] = []) {
  const image = buildImage({ board, library: 'none', opt: 'Os', cflags });
  const dev = await boot({ board: boards().get(board)!, elfPath: image.elfPath });
  try {
    const out = await dev.op('selftest-fault', [Uint8Array.of(kind)], limit);
    await dev.exit();
    return out;
  } catch (e) {
    dev.kill();
    return e as DeviceFailure;
  }
}

describe('device faults become decoded errors, never hangs', () => {
  it.each([
    ['mps2-an385', 0, 'UsageFault', /UNDEFINSTR/],
    ['mps2-an385', 1, 'BusFault', /PRECISERR/],
    ['mps2-an385', 6, 'MemManage', /IACCVIOL/],
    ['mps2-an385', 7, 'HardFault', /FORCED/],
    ['mps2-an505', 3, 'UsageFault', /STKOF: stack overflow/],
    ['microbit', 0, 'HardFault', /^$/],
  ] as const)('%s kind %i: %s', async (board, kind, name, cause) => {
    const e = await fault(board, kind);
    expect(e).toBeInstanceOf(DeviceFailure);
    const f = (e as DeviceFailure).fault!;
    expect(f.name).toBe(name);
    expect(f.causes.join('; ')).toMatch(cause);
    expect(f.pcSymbol).toMatch(/^(op_fault|recurse)\+0x|^0xe0000000$/);
  });

  it('an infinite loop is cut off at its wall-clock deadline and the device killed', async () => {
    const e = await fault('mps2-an386', 4, 1500);
    expect((e as DeviceFailure).kind).toBe('timeout');
    expect((e as DeviceFailure).message).toMatch(/within 1500 ms/);
  });

  it('an infinite loop is cut off by its budget of emulator CPU time, long before the wall-clock limit', async () => {
    // CPU time, not wall time: a loaded host stretches the second, not the first.
    const e = await fault('mps2-an386', 4, { wallMs: 600_000, cpuMs: 1000 });
    expect((e as DeviceFailure).kind).toBe('timeout');
    expect((e as DeviceFailure).message).toMatch(/ms of emulator CPU time, over its budget of 1000 ms/);
  });

  it('a write past an allocation is flagged in canary builds (as the fuzzer uses)', async () => {
    const plain = await fault('mps2-an385', 9);
    const canary = await fault('mps2-an385', 9, 5000, ['-DCERTCOST_HEAP_CANARY']);
    expect((plain as { result: { heapCorrupt: boolean } }).result.heapCorrupt).toBe(false);
    expect((canary as { result: { heapCorrupt: boolean } }).result.heapCorrupt).toBe(true);
  });

  it('heap exhaustion is an out-of-memory answer, not a crash', async () => {
    const out = await fault('microbit', 8);
    expect(out).not.toBeInstanceOf(Error);
    const r = (out as Exclude<typeof out, DeviceFailure>).result;
    expect(r.status).toBe(-1002);
    expect(r.heapBytes).toBeGreaterThan(4096); // it really filled the micro:bit's 6 KiB arena
  });
});

// The measured content of a results file, without wall times and paths.
function measured(res: Results) {
  return res.records.map((r) => ({ key: `${r.board}/${r.library}/${r.op}`, status: r.status, instructions: r.instructions, perVector: r.perVector, flash: r.flashBytes, ram: r.ramBytes, stack: r.stackBytes, heap: r.heapBytes }));
}
const read = (dir: string) => ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));

describe('nothing lost, nothing different', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-robust-'));
  const scenario = join(dir, 'robust.yaml');
  let calm: Results;
  beforeAll(async () => {
    writeFileSync(scenario, 'name: robust\nboards: [mps2-an385, mps2-an386, mps2-an505]\nlibraries: [mbedtls, micro-ecc]\nops: [ecdsa-verify, sha256-64]\nvectors: {count: 2}\n');
    await main(['run', scenario, '--out', join(dir, 'calm'), '--jobs', '1']);
    calm = read(join(dir, 'calm'));
  });

  it('a harness killed mid-suite leaves no QEMU behind, and --resume finishes with the same results', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, ['bin/certcost.mjs', 'run', scenario, '--out', out], { stdio: 'ignore' });
    const journal = join(out, 'results.jsonl');
    let qemus: string[] = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const lines = existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean).length : 0;
      try { qemus = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean); } catch { qemus = []; }
      if (lines >= 3 && qemus.length) break;
    }
    expect(qemus.length).toBeGreaterThan(0); // killed while an emulator was running
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 1000));
    // Dead means gone or a zombie waiting for init to reap it.
    const alive = (pid: string) => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z'; } catch { return false; } };
    for (const pid of qemus) expect(alive(pid), `QEMU ${pid} outlived the harness`).toBe(false);
    const before = readFileSync(journal, 'utf8').trim().split('\n').length;
    expect(before).toBeLessThan(calm.records.length);

    expect(await main(['run', scenario, '--out', out, '--resume'])).toBe(0);
    expect(measured(read(out))).toEqual(measured(calm));
  });

  it('--jobs 2 (one per core, the default here) gives the same results as one job', async () => {
    expect(await main(['run', scenario, '--out', join(dir, 'jobs2'), '--jobs', '2'])).toBe(0);
    expect(measured(read(join(dir, 'jobs2')))).toEqual(measured(calm));
  });
});
