// A small ELF32 little-endian reader: enough for symbol look-up (marker
// addresses, PC symbolisation) and the image's footprint. Firmware images
// are ours, so anything other than ELF32 LE ARM is rejected loudly.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Section {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}
export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: 'func' | 'object' | 'other';
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;

export class Elf {
  readonly sections: Section[] = [];
  readonly symbols: ElfSymbol[] = [];
  private readonly byName = new Map<string, ElfSymbol>();
  private funcs: ElfSymbol[] = [];

  constructor(readonly bytes: Uint8Array, readonly path = '<memory>') {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 52 || dv.getUint32(0, false) !== 0x7f454c46) throw new Error(`${path}: not an ELF file`);
    if (bytes[4] !== 1 || bytes[5] !== 1) throw new Error(`${path}: not a 32-bit little-endian ELF`);
    if (dv.getUint16(18, true) !== 40) throw new Error(`${path}: not an ARM ELF (e_machine ${dv.getUint16(18, true)})`);
    const shoff = dv.getUint32(32, true);
    const shentsize = dv.getUint16(46, true);
    const shnum = dv.getUint16(48, true);
    const shstrndx = dv.getUint16(50, true);
    if (shoff + shnum * shentsize > bytes.length) throw new Error(`${path}: section table out of bounds`);
    const raw: { nameOff: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; entsize: number }[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      raw.push({
        nameOff: dv.getUint32(o, true), type: dv.getUint32(o + 4, true), flags: dv.getUint32(o + 8, true), addr: dv.getUint32(o + 12, true),
        offset: dv.getUint32(o + 16, true), size: dv.getUint32(o + 20, true), link: dv.getUint32(o + 24, true), entsize: dv.getUint32(o + 36, true),
      });
    }
    const str = (secIdx: number, off: number) => {
      const s = raw[secIdx];
      if (!s) return '';
      let end = s.offset + off;
      while (end < bytes.length && bytes[end] !== 0) end++;
      return new TextDecoder().decode(bytes.subarray(s.offset + off, end));
    };
    for (const s of raw) this.sections.push({ name: str(shstrndx, s.nameOff), type: s.type, flags: s.flags, addr: s.addr, offset: s.offset, size: s.size });
    for (const s of raw) {
      if (s.type !== SHT_SYMTAB) continue;
      for (let o = s.offset; o + 16 <= s.offset + s.size; o += s.entsize || 16) {
        const name = str(s.link, dv.getUint32(o, true));
        if (!name || name.startsWith('$')) continue; // skip mapping symbols ($t, $d)
        const info = bytes[o + 12]!;
        const t = info & 0xf;
        const sym: ElfSymbol = { name, value: dv.getUint32(o + 4, true), size: dv.getUint32(o + 8, true), type: t === 2 ? 'func' : t === 1 ? 'object' : 'other' };
        this.symbols.push(sym);
        if (!this.byName.has(name) || (info >> 4) === 1) this.byName.set(name, sym);
      }
    }
    this.funcs = this.symbols.filter((s) => s.type === 'func').sort((a, b) => a.value - b.value);
  }

  static read(path: string): Elf {
    return new Elf(readFileSync(path), path);
  }

  symbol(name: string): ElfSymbol {
    const s = this.byName.get(name);
    if (!s) throw new Error(`${this.path}: no symbol '${name}'`);
    return s;
  }

  /** Function containing addr (Thumb bit ignored), as "name+0xoff". */
  symbolize(addr: number): string {
    const a = (addr & ~1) >>> 0;
    let lo = 0, hi = this.funcs.length - 1, best: ElfSymbol | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.funcs[mid]!;
      if (((f.value & ~1) >>> 0) <= a) { best = f; lo = mid + 1; } else hi = mid - 1;
    }
    if (!best) return `0x${a.toString(16)}`;
    const off = a - ((best.value & ~1) >>> 0);
    if (best.size && off >= best.size) return `0x${a.toString(16)}`;
    return off ? `${best.name}+0x${off.toString(16)}` : best.name;
  }

  /**
   * sha256 of what is loaded into the device: every allocated section with
   * contents, by address (name, address, bytes). Debug info and the paths
   * it holds are left out, so the same firmware built in another checkout
   * hashes the same.
   */
  loadedSha256(): string {
    const h = createHash('sha256');
    const loaded = this.sections.filter((s) => s.flags & SHF_ALLOC && s.type !== SHT_NOBITS && s.size > 0).sort((a, b) => a.addr - b.addr);
    for (const s of loaded) {
      h.update(`${s.name}\u0000${s.addr}\u0000${s.size}\u0000`);
      h.update(this.bytes.subarray(s.offset, s.offset + s.size));
    }
    return h.digest('hex');
  }

  /** Footprint: flash = everything loaded from flash (code, read-only data,
   *  .data's initial values); static RAM = .data + .bss. The stack
   *  reservation and the heap are reported separately, per op. */
  footprint(): { flashBytes: number; ramBytes: number; textBytes: number; dataBytes: number; bssBytes: number } {
    let text = 0, data = 0, bss = 0;
    for (const s of this.sections) {
      if (!(s.flags & SHF_ALLOC) || s.name === '.stack') continue;
      if (s.type === SHT_NOBITS) bss += s.size;
      else if (s.flags & SHF_WRITE) data += s.size;
      else text += s.size;
    }
    return { flashBytes: text + data, ramBytes: data + bss, textBytes: text, dataBytes: data, bssBytes: bss };
  }
}
