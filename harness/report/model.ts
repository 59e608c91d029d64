// results -> one report model (sections of tables and chart specs) that the
// Markdown, HTML and JSON outputs all render, so they say the same thing.
import { createHash } from 'node:crypto';
import type { LoadedResults } from '../results/read.js';
import type { RawRecord } from '../record/schema.js';
import { extraCharts, flashChart, opMemoryChart, opMetricChart, type ChartSpec } from './charts.js';
import { METRIC_LABEL, libraries, num, profileName, scanExtras, sumParts, uniq, type ExtraScan } from '../record/metrics.js';
import { firstPerVariant, flightsText } from './handshakes.js';
import { fmtQuantity, sizing, type SizingRow } from './sizing.js';
import { BUDGET_KEYS, type Budget } from '../scenario/budget.js';

export type Tone = 'good' | 'bad' | 'warn' | 'muted';
export type Cell = string | number | null | { text: string; tone?: Tone };
export interface Table {
  caption?: string;
  /** Detail a reader opens on demand (HTML: a closed <details>). */
  collapsed?: boolean;
  columns: { label: string; numeric?: boolean }[];
  rows: Cell[][];
}
export interface Section {
  id: string;
  title: string;
  text: string[];
  tables: Table[];
  charts: string[]; // ChartSpec ids, in order
}
export interface Report {
  title: string;
  meta: string[];
  source: { file: string; sha256: string };
  sections: Section[];
  charts: ChartSpec[];
  sizing: SizingRow[] | null;
  extras: ExtraScan;
}

const STATUS_TONE: Record<string, Tone> = { ok: 'good', mismatch: 'bad', error: 'bad', unsupported: 'muted' };
const statusCell = (r: RawRecord): Cell => ({ text: r.status, tone: STATUS_TONE[r.status] });
const short = (s: string | undefined, n = 300) => (s ?? '').replace(/\s+/g, ' ').slice(0, n);

/** A board x library table of one metric of one op; a cell without a figure says why. */
function pivot(records: RawRecord[], op: string, metrics: string[]): Table {
  const rs = records.filter((r) => r.op === op);
  const libs = libraries(records);
  const rows = uniq(rs.map((r) => r.board)).map((b) => [
    `${b} (${rs.find((r) => r.board === b)!.core})`,
    ...libs.map((lib): Cell => {
      const r = rs.find((x) => x.board === b && x.library === lib);
      if (!r) return null;
      const v = metrics.map((m) => num(r, m));
      if (r.status === 'ok' && v.some((x) => x !== null)) return v.length === 1 ? v[0]! : v.map((x) => (x === null ? '—' : x.toLocaleString('en-US'))).join(' / ');
      return { text: r.status === 'ok' ? '—' : r.status, tone: STATUS_TONE[r.status] };
    }),
  ]);
  return { caption: `${op}: ${metrics.map((m) => METRIC_LABEL[m] ?? m).join(' / ')}`, columns: [{ label: 'board' }, ...libs.map((l) => ({ label: l, numeric: true }))], rows };
}

function sizingSection(rows: SizingRow[], budget: Budget): Section {
  const keys = BUDGET_KEYS.filter((k) => budget[k] !== undefined);
  const withProfile = rows.some((r) => r.profile);
  const tone: Record<SizingRow['verdict'], Tone> = { pass: 'good', fail: 'bad', incomplete: 'warn', unsupported: 'muted' };
  return {
    id: 'sizing',
    title: 'MCU sizing',
    text: [
      `Budget: ${keys.map((k) => `${METRIC_LABEL[k] ?? k} ≤ ${fmtQuantity(k, budget[k]!)}`).join(', ')}.`,
      'Per board and library: flash and RAM of the image, and the worst op of the run for the per-op limits. The binding constraint is the one that fails by most or, when all fit, the one with the least headroom.',
      'RAM B is the image\'s static RAM (.data + .bss), which includes certcost\'s own link buffers (sized per board); stack and heap are the peaks of the worst op.',
    ],
    tables: [{
      columns: [{ label: 'board' }, { label: 'core' }, ...(withProfile ? [{ label: 'MCU profile' }] : []), { label: 'library' }, { label: 'verdict' }, { label: 'binding constraint' },
        ...keys.map((k) => ({ label: `${METRIC_LABEL[k] ?? k} ≤ ${fmtQuantity(k, budget[k]!)}`, numeric: true }))],
      rows: rows.map((r) => [
        r.board, r.core, ...(withProfile ? [r.profile ?? '—'] : []), r.library, { text: r.verdict, tone: tone[r.verdict] }, r.binding,
        ...keys.map((k): Cell => {
          const c = r.checks.find((x) => x.key === k);
          if (!c || c.value === null) return null;
          return { text: fmtQuantity(k, c.value), tone: c.ok ? undefined : 'bad' };
        }),
      ]),
    }],
    charts: [],
  };
}

function extrasSection(records: RawRecord[], scan: ExtraScan, charts: ChartSpec[]): Section | null {
  if (!scan.extras.length && !scan.skipped.length) return null;
  const tables: Table[] = [];
  const scalars = scan.extras.filter((e) => e.kind === 'scalar').map((e) => e.key);
  if (scalars.length) {
    const rs = records.filter((r) => scalars.some((k) => num(r, k) !== null));
    tables.push({ caption: 'Per-record figures', columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, ...scalars.map((k) => ({ label: k, numeric: true }))],
      rows: rs.map((r) => [r.board, r.library, r.op, ...scalars.map((k) => num(r, k))]) });
  }
  for (const e of scan.extras) {
    if (e.kind === 'parts') {
      const rs = records.filter((r) => sumParts(r, e) !== null);
      tables.push({ caption: e.key, columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, ...e.parts.map((p) => ({ label: p, numeric: true })), { label: 'total', numeric: true }],
        rows: rs.map((r) => [r.board, r.library, r.op, ...e.parts.map((p) => {
          const v = (r as Record<string, unknown>)[e.key];
          const x = Array.isArray(v) ? v[Number(p) - 1] : (v as Record<string, unknown>)[p];
          return typeof x === 'number' ? x : null;
        }), sumParts(r, e)]) });
    } else if (e.kind === 'rows') {
      for (const r of records) {
        const list = (r as Record<string, unknown>)[e.key];
        if (!Array.isArray(list) || !list.length) continue;
        tables.push({ caption: `${e.key}: ${r.board} · ${r.library} · ${r.op}${list.length > 30 ? ' (first 30 rows)' : ''}`, collapsed: true,
          columns: e.columns.map((c) => ({ label: c, numeric: typeof (list[0] as Record<string, unknown>)[c] === 'number' })),
          rows: list.slice(0, 30).map((row) => e.columns.map((c): Cell => {
            const v = (row as Record<string, unknown>)[c];
            return v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
          })) });
      }
    }
  }
  return {
    id: 'more',
    title: 'More measurements',
    text: [
      'Fields found in the records beyond the core metrics, shown by shape.',
      ...(scan.skipped.length ? [`Not shown (shape not understood): ${scan.skipped.map((s) => `${s.key} — ${s.why}`).join('; ')}.`] : []),
    ],
    tables,
    charts: charts.map((c) => c.id),
  };
}

/** DTLS handshake records (harness/ops/dtls.ts): bytes per direction and flight, device cost, the byte model's verdict, and the on-air cost. */
function handshakesSection(records: RawRecord[]): Section | null {
  const rows = records.filter((r) => r.handshake);
  if (!rows.length) return null;
  const main: Table = {
    columns: [{ label: 'board' }, { label: 'library' }, { label: 'variant' }, { label: 'c2s B', numeric: true }, { label: 's2c B', numeric: true }, { label: 'total B', numeric: true },
      { label: 'flights B' }, { label: 'datagrams c2s/s2c' }, { label: 'instructions', numeric: true }, { label: 'cycles', numeric: true }, { label: 'ms', numeric: true }, { label: 'model' }, { label: 'peer' }],
    rows: rows.map((r) => {
      const h = r.handshake!;
      return [r.board, r.library, r.op, h.bytesC2S, h.bytesS2C, h.bytesC2S + h.bytesS2C, flightsText(h.flights), `${h.datagramsC2S}/${h.datagramsS2C}`,
        r.modeled ? 'modeled' : r.instructions, num(r, 'cycles'), num(r, 'ms'), r.modeled ? 'modeled' : { text: h.modelCheck, tone: h.modelCheck === 'equal' ? undefined : 'bad' }, short(h.peer, 80)];
    }),
  };
  // One row per library, variant and link profile.
  const air = firstPerVariant(rows);
  const onAir: Table = {
    caption: 'On the air (data/link-profiles.yaml; device radio energy only)',
    columns: [{ label: 'library' }, { label: 'variant' }, { label: 'link profile' }, { label: 'frames', numeric: true }, { label: 'bytes on air', numeric: true }, { label: 'airtime ms', numeric: true }, { label: 'radio µJ', numeric: true }, { label: 'cost' }],
    rows: air.flatMap((r) => r.onAir!.map((c) => [r.library, r.op, c.profile, c.frames, c.bytes, c.airtimeMs, c.energyUj, c.money ? `${c.money.amount} ${c.money.currency}` : null])),
  };
  return {
    id: 'handshakes',
    title: 'DTLS handshakes',
    text: ['Bytes are DTLS payload of the counted handshake\'s flights (→ device to server, ← server to device); instructions are the whole handshake with the waits for the peer excluded; the model column is the byte model against the capture, to the byte. Variant notes and per-message sizes are in the records.'],
    tables: air.length ? [main, onAir] : [main],
    charts: [],
  };
}

function allRecordsTable(records: RawRecord[]): Table {
  const has = (k: string) => records.some((r) => num(r, k) !== null);
  const opt = ['cycles', 'ms', 'hostNs'].filter(has);
  const withProfile = records.some((r) => profileName(r));
  return {
    columns: [{ label: 'board' }, { label: 'core' }, { label: 'library' }, { label: 'op' }, { label: 'status' },
      { label: 'instructions', numeric: true }, { label: 'min', numeric: true }, { label: 'max', numeric: true },
      ...opt.map((k) => ({ label: k === 'hostNs' ? 'host ns' : k, numeric: true })), ...(withProfile ? [{ label: 'MCU profile' }] : []),
      { label: 'flash B', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'stack B', numeric: true }, { label: 'heap B', numeric: true },
      { label: 'vectors' }, { label: 'image' }],
    rows: records.map((r) => [
      r.board, r.core, r.library, r.op, statusCell(r), r.instructions, r.instructionsMin, r.instructionsMax,
      ...opt.map((k) => num(r, k)), ...(withProfile ? [profileName(r) ?? null] : []),
      r.flashBytes, r.ramBytes, r.stackBytes, r.heapBytes,
      r.vectors.total ? `${r.vectors.agree}/${r.vectors.total} agree` : null,
      r.image ? `${r.image.opt} ${r.image.sha256.slice(0, 12)}` : null,
    ]),
  };
}

export function buildReport(loaded: LoadedResults, budget: Budget = {}): Report {
  const { results } = loaded;
  const records = loaded.records;
  const charts: ChartSpec[] = [];
  const add = (c: ChartSpec | null) => (c ? (charts.push(c), [c.id]) : []);
  const sections: Section[] = [];
  const counts = uniq(records.map((r) => r.status)).map((s) => `${records.filter((r) => r.status === s).length} ${s}`).join(', ');

  const sizingRows = BUDGET_KEYS.some((k) => budget[k] !== undefined) ? sizing(records, budget) : null;
  if (sizingRows) sections.push(sizingSection(sizingRows, budget));

  for (const op of uniq(records.map((r) => r.op))) {
    const metrics = ['instructions', 'cycles', 'ms'].filter((m) => records.some((r) => r.op === op && num(r, m) !== null));
    if (!metrics.length) metrics.push('instructions');
    const ids = [...metrics.filter((m) => m !== 'ms').flatMap((m) => add(opMetricChart(records, op, m))), ...add(opMemoryChart(records, op))];
    sections.push({
      id: `op-${op}`,
      title: `Op ${op}`,
      text: [`Exact executed instructions of the op's measured region, median over the representative vectors; a cell without a figure names the record's status.`],
      tables: [...metrics.map((m) => pivot(records, op, [m])), pivot(records, op, ['stackBytes', 'heapBytes'])],
      charts: ids,
    });
  }

  // Usually one image per board and library; ops that need flags of their own (DTLS 1.3) add one.
  const imageKey = (r: RawRecord) => `${r.board}\u0000${r.library}\u0000${r.image?.sha256 ?? ''}`;
  const images = uniq(records.filter((r) => r.flashBytes !== null).map(imageKey));
  if (images.length) {
    sections.push({
      id: 'images',
      title: 'Flash and RAM per image',
      text: ['One firmware image per board and library holds the ops of the run (a second one where ops need other build flags, e.g. DTLS 1.3); RAM is static (.data + .bss).'],
      tables: [{
        columns: [{ label: 'board' }, { label: 'library' }, { label: 'flash B', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'opt' }, { label: 'image sha256' }],
        rows: images.map((k) => {
          const r = records.find((x) => imageKey(x) === k)!;
          return [r.board, r.library, r.flashBytes, r.ramBytes, r.image?.opt ?? null, r.image?.sha256.slice(0, 16) ?? null];
        }),
      }],
      charts: add(flashChart(records)),
    });
  }

  const hs = handshakesSection(records);
  if (hs) sections.push(hs);

  const scan = scanExtras(records);
  const more = extrasSection(records, scan, extraCharts(records, scan).map((c) => (charts.push(c), c)));
  if (more) sections.push(more);

  const wy = records.filter((r) => r.wycheproof);
  if (wy.length) {
    sections.push({
      id: 'wycheproof', title: 'Wycheproof cases on the device', text: ['Run in addition to the generated vectors; never part of the instruction figures.'],
      tables: [{
        columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'file' }, { label: 'pass', numeric: true }, { label: 'fail', numeric: true }, { label: 'acceptable', numeric: true }, { label: 'skipped', numeric: true }],
        rows: wy.map((r) => [r.board, r.library, r.op, r.wycheproof!.file, r.wycheproof!.pass, r.wycheproof!.fail ? { text: String(r.wycheproof!.fail), tone: 'bad' } : 0, r.wycheproof!.acceptable, r.wycheproof!.skipped]),
      }],
      charts: [],
    });
  }

  sections.push({ id: 'records', title: 'All records', text: [], tables: [allRecordsTable(records)], charts: [] });

  const bad = records.filter((r) => r.status === 'error' || r.status === 'mismatch' || r.status === 'unsupported');
  if (bad.length) {
    sections.push({
      id: 'problems', title: 'Not measured', text: ['Records without a trustworthy figure, and why.'],
      tables: [{ columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'status' }, { label: 'reason' }],
        rows: bad.map((r) => [r.board, r.library, r.op, statusCell(r), short(r.reason) + (r.fault ? ` [${r.fault.name} at ${r.fault.pcSymbol}]` : '')]) }],
      charts: [],
    });
  }

  return {
    title: `certcost report: ${results.scenario.name}`,
    meta: [
      `Scenario ${results.scenario.file} (sha256 ${results.scenario.sha256.slice(0, 12)}), certcost ${results.tool.version}.`,
      `${results.environment.qemu}; ${results.environment.gcc}; node ${results.environment.node}.`,
      `Run ${results.startedAt} – ${results.finishedAt}: ${records.length} records (${counts}).`,
    ],
    source: { file: loaded.file, sha256: createHash('sha256').update(loaded.text).digest('hex') },
    sections,
    charts,
    sizing: sizingRows,
    extras: scan,
  };
}
