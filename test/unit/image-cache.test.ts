// The image cache (harness/build/firmware.ts): an image is reused only when
// everything it is made of is the same — its options, certcost's firmware
// tree and toolchain (the key), and every third-party file the compiler read
// for it (the manifest, checked by content on each hit).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageKey, manifestHolds, manifestOf } from '../../harness/build/firmware.js';

describe('image cache', () => {
  it('keys on every build option', () => {
    const base = { board: 'mps2-an386', library: 'mbedtls', opt: 'Os', cflags: [] as string[] };
    const keys = new Set([
      imageKey(base),
      imageKey({ ...base, board: 'mps2-an385' }),
      imageKey({ ...base, library: 'wolfssl' }),
      imageKey({ ...base, libraryVersion: '3.6.6' }),
      imageKey({ ...base, opt: 'O2' }),
      imageKey({ ...base, cflags: ['-DCERTCOST_DTLS'] }),
      imageKey({ ...base, cflags: ['-DCERTCOST_DTLS', '-DCERTCOST_X509'] }),
    ]);
    expect(keys.size).toBe(7);
    expect(imageKey({ ...base })).toBe(imageKey(base));
  });

  it('lists the third-party files the compiler read, and notices when one changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'certcost-imgcache-'));
    const cache = join(root, 'cache'), out = join(root, 'out');
    mkdirSync(join(cache, 'src', 'lib', 'include'), { recursive: true });
    mkdirSync(join(out, 'obj', 'x'), { recursive: true });
    writeFileSync(join(cache, 'src', 'lib', 'a.c'), 'int a;\n');
    writeFileSync(join(cache, 'src', 'lib', 'include', 'a.h'), '#define A 1\n');
    // As gcc -MMD writes it: the object, then its sources and headers; the firmware's own files are the key's, not the manifest's.
    writeFileSync(join(out, 'obj', 'x', 'a.c.d'), `${join(out, 'obj', 'x', 'a.c.o')}: \\\n ${join(cache, 'src', 'lib', 'a.c')} \\\n ${join(cache, 'src', 'lib', 'include', 'a.h')} \\\n /somewhere/firmware/include/certcost/ops.h\n${join(cache, 'src', 'lib', 'include', 'a.h')}:\n`);
    const m = manifestOf(out, cache);
    expect(m.map(([f]) => f)).toEqual(['src/lib/a.c', 'src/lib/include/a.h']);
    expect(manifestHolds(m, cache)).toBe(true);
    writeFileSync(join(cache, 'src', 'lib', 'include', 'a.h'), '#define A 2\n');
    expect(manifestHolds(m, cache)).toBe(false);
  });
});
