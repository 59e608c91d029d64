// Versions side by side: for each op and board, every version of a library
// the run measured, with the change against the oldest version. RAM is the
// peak the op needs: static RAM + heap peak + stack peak.
import type { ResultRecord } from '../../record/schema.js';
import { libraryLabel } from '../../record/key.js';
import { section, type Cell, type Section } from '../document.js';
import { hasFigures } from '../../record/status.js';

/** Upstream versions compared numerically, part by part (2.28.3 < 3.6.6, 5.5.4 < 5.10.0). */
export const compareVersions = (a: string, b: string) => {
  const pa = a.split(/[.+-]/).map((x) => Number(x)), pb = b.split(/[.+-]/).map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (Number.isFinite(pa[i]) ? pa[i]! : 0) - (Number.isFinite(pb[i]) ? pb[i]! : 0);
    if (d) return d;
  }
  return 0;
};

const peakRam = (r: ResultRecord) => (r.ramBytes === null || r.heapBytes === null || r.stackBytes === null ? null : r.ramBytes + r.heapBytes + r.stackBytes);

export function versionsSections(records: ResultRecord[]): Section[] {
  const versioned = records.filter((r) => r.libraryVersion);
  const groups = new Map<string, ResultRecord[]>();
  for (const r of versioned) {
    const k = `${r.op}\u0000${r.board}\u0000${r.library}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const multi = [...groups.values()].filter((g) => new Set(g.map((r) => r.libraryVersion)).size > 1);
  if (!multi.length) return [];
  const change = (now: number | null | undefined, base: number | null | undefined): Cell => {
    if (now === null || now === undefined || base === null || base === undefined || base === 0) return null;
    const pct = (100 * (now - base)) / base;
    return { text: `${pct > 0 ? '+' : ''}${pct.toFixed(1)} %`, tone: pct > 0.05 ? 'bad' : pct < -0.05 ? 'good' : undefined };
  };
  const rows: Cell[][] = [];
  for (const g of multi) {
    const sorted = [...g].sort((a, b) => compareVersions(a.libraryVersion!, b.libraryVersion!));
    const base = sorted.find(hasFigures) ?? sorted[0]!;
    for (const r of sorted) {
      const ok = hasFigures(r);
      rows.push([r.op, r.board, libraryLabel(r), ok ? r.instructions : { text: r.status, tone: 'muted' }, r === base || !ok ? null : change(r.instructions, base.instructions),
        ok ? (r.ms ?? null) : null, r.flashBytes, r === base ? null : change(r.flashBytes, base.flashBytes), ok ? peakRam(r) : null, r === base || !ok ? null : change(peakRam(r), peakRam(base))]);
    }
  }
  return [section('versions', 'Library versions side by side', {
    text: ['Each version of a library this run measured, op by op and board by board; the change is against the oldest version that measured the op. Peak RAM = static RAM + heap peak + stack peak of the op.'],
    tables: [{
      columns: [{ label: 'op' }, { label: 'board' }, { label: 'library' }, { label: 'instructions', numeric: true }, { label: 'change', numeric: true }, { label: 'ms', numeric: true },
        { label: 'flash B', numeric: true }, { label: 'change', numeric: true }, { label: 'peak RAM B', numeric: true }, { label: 'change', numeric: true }],
      rows,
    }],
  })];
}
