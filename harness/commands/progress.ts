// Progress of a run. On a terminal: one status line on stderr, redrawn in
// place (done/total, what is running, ETA). Otherwise: one plain line per
// finished record. With --json, stdout carries one JSON object per record and
// nothing else, so it can be piped.
import type { ResultRecord } from '../record/schema.js';

export interface ProgressOptions {
  total: number;
  /** Records known before anything runs (plan-level unsupported): they take no time, so the ETA ignores them. */
  instant: number;
  json: boolean;
  tty: boolean;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  now?: () => number;
}

export const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function recordLine(r: ResultRecord): string {
  const fig = r.instructions !== null ? ` ${r.instructions.toLocaleString('en-US')} instructions` : '';
  return `${r.board} ${r.library} ${r.op}: ${r.status}${fig}${r.status !== 'ok' && r.reason ? ' — ' + r.reason : ''}`;
}

export class Progress {
  private done = 0;
  private current = '';
  private readonly t0: number;
  private lineShown = false;
  private readonly out: (s: string) => void;
  private readonly err: (s: string) => void;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.out = o.stdout ?? ((s) => process.stdout.write(s));
    this.err = o.stderr ?? ((s) => process.stderr.write(s));
    this.now = o.now ?? Date.now;
    this.t0 = this.now();
  }

  /** ETA from the records that took time so far; null until one has. */
  eta(): number | null {
    const worked = this.done - Math.min(this.done, this.o.instant);
    const left = this.o.total - Math.max(this.done, this.o.instant);
    if (worked <= 0) return null;
    return ((this.now() - this.t0) / worked) * left;
  }

  private status(): string {
    const eta = this.eta();
    const pct = this.o.total ? Math.floor((100 * this.done) / this.o.total) : 100;
    return `[${this.done}/${this.o.total} ${pct}%] ${this.current}  ${clock(this.now() - this.t0)} elapsed${eta !== null ? `, ETA ${clock(eta)}` : ''}`;
  }

  private clear() {
    if (this.lineShown) this.err('\r\x1b[2K');
    this.lineShown = false;
  }

  private draw() {
    if (!this.o.tty) return;
    const cols = process.stderr.columns || 100;
    this.err('\r\x1b[2K' + this.status().slice(0, cols - 1));
    this.lineShown = true;
  }

  /** What is running now, e.g. "build mps2-an385/mbedtls" or "mps2-an385/mbedtls/ecdsa-verify: 4 vectors". */
  working(what: string) {
    this.current = what.replace(/\//g, '·');
    this.draw();
  }

  finished(r: ResultRecord) {
    this.done++;
    this.clear();
    const line = `[${this.done}/${this.o.total}] ${recordLine(r)}`;
    if (this.o.json) {
      this.out(JSON.stringify(r) + '\n');
      if (!this.o.tty) this.err(line + '\n');
    } else {
      const eta = this.eta();
      this.out(line + (!this.o.tty && eta !== null && this.done < this.o.total ? ` (ETA ${clock(eta)})` : '') + '\n');
    }
    this.draw();
  }

  end() {
    this.clear();
  }
}
