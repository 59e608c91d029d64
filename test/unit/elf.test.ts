import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Elf } from '../../harness/elf/elf.js';

// A tiny ARM object linked by the real cross toolchain: the reader is
// checked against what arm-none-eabi-nm and -size say about the same file.
let path: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'elf-test-'));
  writeFileSync(join(dir, 'a.c'), `
    int counter = 3;
    static char buf[100];
    const char msg[] = "hello";
    int __attribute__((noinline)) twice(int x) { return 2 * x + buf[x]; }
    void _start(void) { counter = twice(counter) + msg[1]; for (;;) {} }
  `);
  path = join(dir, 'a.elf');
  execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-O1', '-nostdlib', '-Wl,-Ttext=0x1000', join(dir, 'a.c'), '-o', path]);
});

describe('ELF reader', () => {
  it('finds symbols with the same values as nm', () => {
    const elf = Elf.read(path);
    const nm = execFileSync('arm-none-eabi-nm', [path], { encoding: 'utf8' });
    for (const name of ['twice', '_start', 'counter', 'msg']) {
      const line = nm.split('\n').find((l) => l.endsWith(' ' + name))!;
      // nm prints Thumb functions without bit 0; the symbol table keeps it.
      expect(elf.symbol(name).value & ~1).toBe(parseInt(line.split(' ')[0]!, 16));
    }
    expect(elf.symbol('twice').type).toBe('func');
    expect(elf.symbol('twice').value & 1).toBe(1); // Thumb bit
    expect(() => elf.symbol('nope')).toThrow(/no symbol 'nope'/);
  });

  it('symbolizes addresses inside functions', () => {
    const elf = Elf.read(path);
    const twice = elf.symbol('twice').value & ~1;
    expect(elf.symbolize(twice)).toBe('twice');
    expect(elf.symbolize(twice + 2)).toBe('twice+0x2');
    expect(elf.symbolize(0x10)).toBe('0x10');
  });

  it('agrees with arm-none-eabi-size on text, data and bss', () => {
    const [, line] = execFileSync('arm-none-eabi-size', [path], { encoding: 'utf8' }).split('\n');
    const [text, data, bss] = line!.trim().split(/\s+/).map(Number);
    const fp = Elf.read(path).footprint();
    expect(fp.textBytes).toBe(text);
    expect(fp.dataBytes).toBe(data);
    expect(fp.bssBytes).toBe(bss);
    expect(fp.flashBytes).toBe(text! + data!);
    expect(fp.ramBytes).toBe(data! + bss!);
  });

  it('rejects files that are not 32-bit ARM ELF', () => {
    expect(() => new Elf(new Uint8Array(64))).toThrow(/not an ELF/);
    const host = readFileSync(process.execPath).subarray(0, 4096);
    expect(() => new Elf(new Uint8Array(host))).toThrow(/not a 32-bit|not an ARM/);
  });
});
