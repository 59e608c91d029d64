// Reads what the counting plugin (plugin/insn-count.c) appends: one
// `count N` per cc_mark_stop, and in addr mode the per-address profile
// that follows it. The plugin writes before the firmware sends its RESULT,
// so after a RESULT the lines for that op are already in the file.
import { openSync, readSync, closeSync, existsSync } from 'node:fs';

export interface InsnCount { addr: number; count: number; size: number; disas: string }
export interface Edge { from: number; to: number; count: number }
export interface CountEvent { instructions: number; profile?: { insns: InsnCount[]; edges: Edge[] } }

export class CountReader {
  private offset = 0;
  private partial = '';
  constructor(readonly path: string) {}

  private readNew(): string[] {
    if (!existsSync(this.path)) return [];
    const fd = openSync(this.path, 'r');
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
        this.offset += n;
      }
      const text = this.partial + Buffer.concat(chunks).toString();
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      return lines;
    } finally {
      closeSync(fd);
    }
  }

  /** Everything counted since the last call, in order. */
  take(): CountEvent[] {
    const out: CountEvent[] = [];
    let cur: CountEvent | undefined;
    for (const line of this.readNew()) {
      const [kind, ...f] = line.split(' ');
      if (kind === 'count') {
        cur = { instructions: Number(f[0]) };
        out.push(cur);
      } else if (kind === 'insn' && cur) {
        (cur.profile ??= { insns: [], edges: [] }).insns.push({ addr: parseInt(f[0]!, 16), count: Number(f[1]), size: Number(f[2]), disas: f.slice(3).join(' ') });
      } else if (kind === 'edge' && cur) {
        (cur.profile ??= { insns: [], edges: [] }).edges.push({ from: parseInt(f[0]!, 16), to: parseInt(f[1]!, 16), count: Number(f[2]) });
      }
    }
    return out;
  }
}
