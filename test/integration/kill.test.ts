// The harness killed with SIGKILL (no handler can run) mid-handshake and
// mid-build: nothing it started may survive it (QEMU, the OpenSSL peer, make
// and the compilers under it), the peer's port must be free, and no
// temporary directory (the PKI's private keys, QEMU's socket and counts)
// may be left. The next run takes the dead run's --out over (stale lock).
import { describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../../harness/core/lifecycle.js';
import { main } from '../../harness/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'certcost-killtest-'));

interface Proc { pid: number; ppid: number; args: string }
function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).trim().split('\n').map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! };
  });
}
/** Every process under `root`, at any depth. */
function descendants(root: number): Proc[] {
  const all = processes();
  const out: Proc[] = [];
  const walk = (p: number) => { for (const c of all.filter((x) => x.ppid === p)) { out.push(c); walk(c.pid); } };
  walk(root);
  return out;
}
const tempDirsOf = (pid: number) => readdirSync(tmpdir()).filter((n) => n.startsWith('certcost-') && n.includes(`-p${pid}-`));
const udpBound = (port: number) => ['/proc/net/udp', '/proc/net/udp6'].some((f) => existsSync(f) && readFileSync(f, 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`)));

async function until<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function harness(args: string[]): ChildProcess {
  return spawn(process.execPath, ['bin/certcost.mjs', ...args], { stdio: 'ignore' });
}

async function killAndCheck(child: ChildProcess, seen: Proc[]) {
  const pid = child.pid!;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  // Children get their parent-death signal at once; give the kernel and the janitor a moment.
  const survivors = await until('the children to die', () => {
    const left = seen.filter((p) => pidAlive(p.pid));
    return left.length === 0 && tempDirsOf(pid).length === 0 ? [] : undefined;
  }, 10_000).catch(() => seen.filter((p) => pidAlive(p.pid)));
  expect(survivors.map((p) => `${p.pid} ${p.args.slice(0, 80)}`)).toEqual([]);
  expect(tempDirsOf(pid)).toEqual([]);
}

describe('SIGKILL of the harness leaves nothing behind', () => {
  it('mid-handshake: no QEMU, no OpenSSL peer, port free, no temporary key directory', async () => {
    const out = join(dir, 'hs');
    const child = harness(['run', 'scenarios/handshakes-quick.yaml', '--out', out]);
    const pid = child.pid!;
    // Wait for the certificate handshake's peer (it reads its key from the run's PKI folder) and QEMU, both running.
    const pki = new RegExp(`s_server .*certcost-pki-p${pid}-`);
    const procs = await until('an s_server with the PKI and a QEMU under the harness', () => {
      const d = descendants(pid);
      return d.some((p) => pki.test(p.args)) && d.some((p) => /qemu-system-arm/.test(p.args)) ? d : undefined;
    }, 240_000);
    const peer = procs.find((p) => pki.test(p.args))!;
    const port = Number(/-accept 127\.0\.0\.1:(\d+)/.exec(peer.args)![1]);
    expect(udpBound(port)).toBe(true);
    expect(tempDirsOf(pid).some((n) => n.startsWith('certcost-pki-'))).toBe(true);
    await killAndCheck(child, procs);
    expect(udpBound(port)).toBe(false);
    // The dead run's lock is stale: the next run into the same --out is not refused for it.
    expect(existsSync(join(out, '.certcost.lock'))).toBe(true);
    const small = join(dir, 'small.yaml');
    writeFileSync(small, 'name: small\nboards: [mps2-an385]\nlibraries: [none]\nops: [selftest-echo]\nvectors: {count: 1}\n');
    expect(await main(['run', small, '--out', out])).toBe(0);
    expect(existsSync(join(out, '.certcost.lock'))).toBe(false);
  });

  it('mid-build: make and every compiler under it die too', async () => {
    // A flag no other image has, so make really compiles.
    const scenario = join(dir, 'build.yaml');
    writeFileSync(scenario, `name: build\nboards: [mps2-an385]\nlibraries: [none]\nops: [selftest-echo]\nbuild: {cflags: [-DCERTCOST_KILL_TEST_${process.pid}_${Date.now()}]}\n`);
    const child = harness(['run', scenario, '--out', join(dir, 'build')]);
    const procs = await until('a compiler under the harness', () => {
      const d = descendants(child.pid!);
      return d.some((p) => /arm-none-eabi-gcc|cc1/.test(p.args)) ? d : undefined;
    }, 120_000);
    expect(procs.some((p) => /\bmake\b/.test(p.args))).toBe(true);
    await killAndCheck(child, procs);
    // Nothing of that build is running anywhere (a compiler reparented to init would show here).
    const flag = `CERTCOST_KILL_TEST_${process.pid}_`;
    await new Promise((r) => setTimeout(r, 500));
    expect(processes().filter((p) => p.args.includes(flag) && !p.args.includes('vitest'))).toEqual([]);
  });
});
