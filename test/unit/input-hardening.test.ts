// Inputs a hostile user or a broken CI job might give certcost: device files,
// FIFOs, huge files, YAML alias bombs, compiler flags that load code, and a
// results directory another run is writing. Each must end in one line and
// exit 2 (or a clean refusal), quickly, with nothing run.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { UserError } from '../../harness/core/errors.js';
import { readInputFile } from '../../harness/core/input-file.js';
import { lockOutputDir, LOCK_FILE, outputDir } from '../../harness/core/out-dir.js';
import { makeTempDir, pidAlive, removeTempDir, sweepStaleTempDirs } from '../../harness/core/lifecycle.js';
import { parseScenario, loadScenario, MAX_ALIASES } from '../../harness/scenario/load.js';
import { cflagRefusal, checkCflags } from '../../harness/scenario/cflags.js';

const dir = mkdtempSync(join(tmpdir(), 'certcost-hardening-'));
const head = 'name: t\nboards: [mps2-an385]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\n';

/** Run the CLI in a child process (a regression here would block the event loop), with a backstop timeout. */
function cli(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['bin/certcost.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

/** main() in this process, with what it printed on stderr. */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    return { code: await main(args), err: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('scenario and results files: regular files only, size-capped', () => {
  const fifo = join(dir, 'scenario.fifo');
  beforeAll(() => execFileSync('mkfifo', [fifo]));

  it('device files and a FIFO are refused at once, in one line, exit 2', async () => {
    const cases = await Promise.all([
      cli(['run', '/dev/zero']),
      cli(['run', '/dev/urandom']),
      cli(['run', fifo]),
      cli(['report', fifo]),
      cli(['fuzz', '--replay', '/dev/zero', '--library', 'none', '--target', 'x509']),
    ]);
    const [zero, urandom, pipe, report, replay] = cases;
    for (const c of cases) {
      expect(c.code, c.stderr).toBe(2);
      expect(c.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(zero!.stderr).toMatch(/\/dev\/zero: cannot read scenario: it is a character device; give a regular file/);
    expect(urandom!.stderr).toMatch(/character device/);
    expect(pipe!.stderr).toMatch(/scenario\.fifo: cannot read scenario: it is a FIFO/);
    expect(report!.stderr).toMatch(/cannot read results: it is a FIFO/);
    expect(replay!.stderr).toMatch(/cannot read fuzz input: it is a character device/);
  });

  it('a file over 1 MiB is refused before it is parsed', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, head.replace('ops: [ecdsa-verify]', `ops: [${Array(100_000).fill('ecdsa-verify').join(', ')}]`));
    const r = await run(['run', big]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/big\.yaml: cannot read scenario: it is 1\.\d MiB; a scenario file may be at most 1\.0 MiB/);
  });

  it('a directory, a missing file and a symlink to a device are refused', () => {
    mkdirSync(join(dir, 'adir.yaml'), { recursive: true });
    expect(() => loadScenario(join(dir, 'adir.yaml'))).toThrow(/cannot read scenario: it is a directory/);
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(/cannot read scenario: no such file/);
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    expect(() => loadScenario(join(dir, 'zero.yaml'))).toThrow(/character device/);
  });

  it('reads a regular file up to the cap and refuses one past it', () => {
    const f = join(dir, 'in.der');
    writeFileSync(f, Buffer.alloc(1000, 7));
    expect(readInputFile(f, { what: 'fuzz input', maxBytes: 1000 })).toHaveLength(1000);
    expect(() => readInputFile(f, { what: 'fuzz input', maxBytes: 999 })).toThrow(UserError);
  });

  it('lists within 1 MiB are still bounded: 50,000 entries is one message', () => {
    const t0 = Date.now();
    const text = head.replace('ops: [ecdsa-verify]', `ops: [${Array(50_000).fill('x').join(', ')}]`);
    expect(() => parseScenario('s.yaml', text)).toThrow(/s\.yaml:4: ops: Too big: expected array to have <=512 items/);
    expect(Date.now() - t0).toBeLessThan(30_000); // minutes before; typically well under a second
  });

  it('a 900 KB board name is cut in the message', () => {
    let msg = '';
    try {
      parseScenario('s.yaml', head.replace('[mps2-an385]', `[${'b'.repeat(900_000)}]`));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/boards\.0: Too big: expected string to have <=100 characters/);
    expect(msg.length).toBeLessThan(3000);
  });
});

describe('YAML aliases are capped', () => {
  it('a billion-laughs bomb is one line, exit 2', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const f = join(dir, 'bomb.yaml');
    writeFileSync(f, `${head}${lines.join('\n')}\ndescription: *a9\n`);
    const r = await run(['run', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bomb\.yaml:\d+: more than 32 YAML aliases \(\*name\); each is expanded in full/);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('many small aliases are refused by count', () => {
    const text = `${head}x: &x a\ndescription: [${Array(100_000).fill('*x').join(', ')}]\n`;
    expect(() => parseScenario('a.yaml', text)).toThrow(new RegExp(`more than ${MAX_ALIASES} YAML aliases`));
  });

  it('nested aliases within the count are refused by what they expand to', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    expect(() => parseScenario('n.yaml', `${head}${lines.join('\n')}\n`)).toThrow(/aliases expand to too much|more than 32 YAML aliases/);
  });

  it('a few aliases are fine (then the schema speaks)', () => {
    expect(() => parseScenario('ok.yaml', 'b: &b [mps2-an385]\nname: t\nboards: *b\nlibraries: [mbedtls]\nops: [ecdsa-verify]\n')).toThrow(/unknown field 'b'/);
  });
});

describe('build flags: an allow-list', () => {
  it.each([
    ['-fplugin=evil.so', /loads? a shared object/],
    ['-fplugin-arg-x-y=1', /shared object/],
    ['-mcpu=cortex-a53', /board file sets the core/],
    ['-march=armv7e-m', /board file sets the core/],
    ['-mfloat-abi=soft', /board file sets the core/],
    ['-Wl,--defsym=x=1', /linker, assembler or preprocessor/],
    ['-Wa,-mthumb', /linker, assembler or preprocessor/],
    ['-flto', /changes how the image links/],
    ['-fsanitize=address', /run-time library/],
    ['-fstack-protector-strong', /run-time library/],
    ['-fdump-tree-all', /writes files/],
    ['-fshort-enums', /ABI/],
    ['-ffixed-r9', /register ABI/],
    ['-O3', /build\.opt/],
    ['-I/etc', /outside the build/],
    ['-B/tmp', /outside the build/],
    ['-o/tmp/x', /outside the build/],
    ['-specs=x.specs', /changes what gcc runs/],
    ['-DX=$(shell id)', /passes through make and a shell/],
    ['-D1X', /C identifier/],
    ['-fsomething-new', /not in the vetted set of -f options/],
    ['-mwhatever', /not in the vetted set of -m options/],
    ['--help', /refused/],
  ])('%s is refused with its reason', (flag, why) => {
    expect(cflagRefusal(flag)).toMatch(why);
  });

  it.each(['-DCERTCOST_DTLS', '-DMBEDTLS_ECP_WINDOW_SIZE=2', '-UNDEBUG', '-Wall', '-Wno-unused-parameter', '-Werror=format', '-fno-omit-frame-pointer', '-fomit-frame-pointer', '-fPIC', '-falign-functions=16', '-fno-inline', '-mslow-flash-data', '-mpic-register=r9', '-msingle-pic-base', '-mno-unaligned-access'])('%s is allowed', (flag) => {
    expect(cflagRefusal(flag)).toBeUndefined();
  });

  it('-include FILE must resolve to a regular file under the scenario folder', () => {
    const sdir = join(dir, 'sc');
    mkdirSync(join(sdir, 'inc'), { recursive: true });
    writeFileSync(join(sdir, 'inc', 'cfg.h'), '#define X 1\n');
    symlinkSync('/etc/hostname', join(sdir, 'escape.h'));
    const ok = checkCflags(['-include inc/cfg.h', '-include', 'inc/cfg.h', '-DX'], sdir);
    expect(ok.issues).toEqual([]);
    expect(ok.cflags).toEqual([`-include ${join(sdir, 'inc', 'cfg.h')}`, `-include ${join(sdir, 'inc', 'cfg.h')}`, '-DX']);
    expect(checkCflags(['-include /etc/hostname'], sdir).issues[0]!.message).toMatch(/must be under the scenario's folder/);
    expect(checkCflags(['-include ../../x.h'], sdir).issues[0]!.message).toMatch(/no such file|must be under/);
    expect(checkCflags(['-include escape.h'], sdir).issues[0]!.message).toMatch(/must be under the scenario's folder/);
    expect(checkCflags(['-include inc'], sdir).issues[0]!.message).toMatch(/not a regular file/);
    expect(checkCflags(['-include'], sdir).issues[0]!.message).toMatch(/needs a file/);
  });

  it('a refused flag stops the run at validation: exit 2, nothing built', async () => {
    const f = join(dir, 'fplugin.yaml');
    writeFileSync(f, `${head}build: {cflags: [-fplugin=evil.so]}\n`);
    const r = await run(['run', f, '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fplugin\.yaml:5: build\.cflags\.0: -fplugin=evil\.so: refused: it makes gcc load a shared object/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('an --out directory in use by another run is refused', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a live owner is named; a released lock can be taken again', () => {
    const out = outputDir(join(dir, 'locked'));
    const release = lockOutputDir(out, 'certcost run a.yaml');
    const owner = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    expect(() => lockOutputDir(out, 'certcost run b.yaml')).toThrow(new RegExp(`--out ${out} is in use by another certcost run \\(pid ${process.pid}, since .*: certcost run a\\.yaml\\); wait for it or choose another --out`));
    release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    lockOutputDir(out, 'certcost run b.yaml')();
  });

  it('a stale lock (its owner is gone) is taken over', () => {
    const out = outputDir(join(dir, 'stale'));
    // A pid that is certainly gone: a child that has exited.
    const gone = Number(execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim());
    expect(pidAlive(gone)).toBe(false);
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: gone, host: hostname(), command: 'certcost run old.yaml', since: '2020-01-01T00:00:00Z' }));
    const release = lockOutputDir(out, 'certcost run new.yaml');
    expect(JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')).command).toBe('certcost run new.yaml');
    release();
  });

  it('a second `certcost run` into a directory in use exits 2 with the owner', async () => {
    const out = outputDir(join(dir, 'busy'));
    const release = lockOutputDir(out, 'certcost run first.yaml');
    const f = join(dir, 'small.yaml');
    writeFileSync(f, 'name: small\nboards: [mps2-an385]\nlibraries: [none]\nops: [selftest-echo]\n');
    const r = await run(['run', f, '--out', out]);
    release();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is in use by another certcost run \(pid \d+, since .*: certcost run first\.yaml\)/);
  });
});

describe('temporary directories', () => {
  it('carry the owner pid, are removed on request, and dead owners\' are swept', () => {
    const t = makeTempDir('test');
    expect(t).toMatch(new RegExp(`certcost-test-p${process.pid}-[A-Za-z0-9]{6}$`));
    removeTempDir(t);
    expect(existsSync(t)).toBe(false);
    const gone = Number(execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim());
    const root = mkdtempSync(join(tmpdir(), 'sweep-'));
    for (const n of [`certcost-pki-p${gone}-abcdef`, `certcost-pki-p${process.pid}-abcdef`, 'certcost-pki-XyZ123', `certcost-other-p${gone}`]) mkdirSync(join(root, n));
    expect(sweepStaleTempDirs(root)).toBe(1);
    expect(existsSync(join(root, `certcost-pki-p${gone}-abcdef`))).toBe(false);
    expect(existsSync(join(root, `certcost-pki-p${process.pid}-abcdef`))).toBe(true); // ours, alive
    expect(existsSync(join(root, 'certcost-pki-XyZ123'))).toBe(true); // not ours to judge
  });
});
