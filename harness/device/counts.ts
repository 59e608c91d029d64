// Reads what the counting plugin (plugin/insn-count.c) appends: one
// `count N NS TOTAL` per cc_mark_stop (in time mode `span NS TOTAL INSNS`
// instead), and in addr mode the per-address profile that follows it. The
// plugin writes before the firmware sends its RESULT, so after a RESULT the
// lines for that op are already in the file. NS, TOTAL and the span are for
// the harness's timing only; a plugin that does not write them is fine.
import { openSync, readSync, closeSync, existsSync } from 'node:fs';

export interface InsnCount { addr: number; count: number; size: number; disas: string }
export interface Edge { from: number; to: number; count: number }
export interface CountEvent { instructions: number; profile?: { insns: InsnCount[]; edges: Edge[] } }
/** What the plugin says about time and totals (never part of a measurement). */
export interface PluginClock {
  /** Wall ns inside brackets, per stop. */
  bracketNs: number;
  /** Instructions in verdict-only brackets (time mode, approximate). */
  spanInsns: number;
  /** Brackets seen. */
  brackets: number;
  /** Wall ns the plugin spent writing addr-mode profiles. */
  dumpNs: number;
  /** Instructions executed since QEMU started, as last reported (null: not yet). */
  executed: number | null;
  /** Time mode: the bracket ran past this instruction limit and the plugin killed QEMU. */
  limitHit?: number;
}

export class CountReader {
  private offset = 0;
  private partial = '';
  private disas = new Map<number, string>();
  /** Accumulates over every take(); the Device reads and resets what it needs. */
  readonly clock: PluginClock = { bracketNs: 0, spanInsns: 0, brackets: 0, dumpNs: 0, executed: null };
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

  private noteClock(ns: string | undefined, total: string | undefined) {
    this.clock.brackets++;
    if (ns !== undefined) this.clock.bracketNs += Number(ns);
    if (total !== undefined) this.clock.executed = Number(total);
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
        this.noteClock(f[1], f[2]);
      } else if (kind === 'span') {
        cur = undefined;
        this.noteClock(f[0], f[1]);
        if (f[2] !== undefined) this.clock.spanInsns += Number(f[2]);
      } else if (kind === 'limit') {
        this.clock.limitHit = Number(f[0]);
      } else if (kind === 'end' || kind === 'exit') {
        if (kind === 'end' && f[0] !== undefined) this.clock.dumpNs += Number(f[0]);
        if (kind === 'exit' && f[0] !== undefined) this.clock.executed = Number(f[0]);
      } else if (kind === 'insn' && cur) {
        // The plugin writes an address's disassembly the first time only.
        const addr = parseInt(f[0]!, 16);
        let disas = this.disas.get(addr);
        if (f.length > 3 || disas === undefined) this.disas.set(addr, (disas = f.slice(3).join(' ')));
        (cur.profile ??= { insns: [], edges: [] }).insns.push({ addr, count: Number(f[1]), size: Number(f[2]), disas });
      } else if (kind === 'edge' && cur) {
        (cur.profile ??= { insns: [], edges: [] }).edges.push({ from: parseInt(f[0]!, 16), to: parseInt(f[1]!, 16), count: Number(f[2]) });
      }
    }
    return out;
  }
}
