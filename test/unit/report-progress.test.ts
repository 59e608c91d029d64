import { describe, expect, it } from 'vitest';
import { Progress } from '../../harness/commands/progress.js';
import { fixture } from './fixtures-results.js';

const recs = fixture([
  { board: 'microbit', library: 'p256-m4', op: 'ecdsa-verify', status: 'unsupported' },
  { board: 'mps2-an385', library: 'mbedtls', op: 'ecdsa-verify', instructions: 26_000_000 },
  { board: 'mps2-an386', library: 'mbedtls', op: 'ecdsa-verify', instructions: 24_000_000 },
]).records;

function harness(tty: boolean, json: boolean) {
  let t = 0;
  const out: string[] = [], err: string[] = [];
  const p = new Progress({ total: 3, instant: 1, tty, json, stdout: (s) => out.push(s), stderr: (s) => err.push(s), now: () => t });
  return { p, out, err, tick: (ms: number) => (t += ms) };
}

describe('progress', () => {
  it('plain lines with an ETA from the records that took time', () => {
    const h = harness(false, false);
    h.p.finished(recs[0]!); // plan-level unsupported: instant, no ETA yet
    h.tick(10_000);
    h.p.finished(recs[1]!);
    expect(h.out.join('')).toBe('[1/3] microbit p256-m4 ecdsa-verify: unsupported — synthetic unsupported\n[2/3] mps2-an385 mbedtls ecdsa-verify: ok 26,000,000 instructions (ETA 0:10)\n');
    expect(h.err).toEqual([]);
  });

  it('on a terminal: one status line on stderr, redrawn in place', () => {
    const h = harness(true, false);
    h.p.working('mps2-an385/mbedtls/ecdsa-verify: 4 vectors');
    expect(h.err.at(-1)).toMatch(/^\r\x1b\[2K\[0\/3 0%\] mps2-an385·mbedtls·ecdsa-verify: 4 vectors {2}0:00 elapsed$/);
    h.p.finished(recs[0]!);
    h.tick(5000);
    h.p.finished(recs[1]!);
    expect(h.err.at(-1)).toMatch(/\[2\/3 66%\] .* ETA 0:05$/);
    expect(h.err.filter((s) => s.includes('\n'))).toEqual([]); // never scrolls stderr
    h.p.end();
    expect(h.err.at(-1)).toBe('\r\x1b[2K');
  });

  it('--json: stdout is one parseable record per line and nothing else', () => {
    const h = harness(false, true);
    for (const r of recs) h.p.finished(r);
    const lines = h.out.join('').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).board)).toEqual(['microbit', 'mps2-an385', 'mps2-an386']);
    expect(h.err.join('')).toMatch(/\[3\/3\] mps2-an386 mbedtls ecdsa-verify: ok/);
  });
});
