// Chart specs from records (pure, testable) and their PNG rendering with
// Chart.js on node-canvas. One chart per op and metric, boards on the x axis,
// one bar per library; extras discovered in the records get a chart each.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { RawRecord } from '../record/schema.js';
import { type ExtraScan, libraries, num, partValue, profileName, uniq } from '../record/metrics.js';
import { libraryLabel } from '../record/key.js';
import { hasFigures } from '../record/status.js';

export interface ChartSpec {
  id: string; // file name stem, unique in a report
  title: string;
  config: ChartConfiguration<'bar', (number | null)[], string>;
  width: number;
  height: number;
}
export interface RenderedChart {
  id: string;
  title: string;
  png: Buffer;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const colour = (i: number) => PALETTE[i % PALETTE.length]!;
const lighter = (hex: string) => `${hex}80`; // same hue, half alpha: the second part of a stacked pair

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** 1.2 M, 340 k, 950: axis labels that stay short. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)} G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)} M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)} k`;
  return `${+v.toPrecision(3)}`;
}

/** An axis title a reader understands, with its unit: 'marginalRamBytes' -> 'marginal RAM (bytes)'. */
export function axisTitle(key: string): string {
  const known: Record<string, string> = {
    instructions: 'executed instructions', cycles: 'cycles (model)', ms: 'time (ms, cycle model)', flashBytes: 'flash (bytes)', ramBytes: 'static RAM (bytes)',
    stackBytes: 'stack peak (bytes)', heapBytes: 'heap peak (bytes)', bytesOnAir: 'bytes on the air', hostNs: 'host time (ns)',
    marginalFlashBytes: 'flash the library adds (bytes)', marginalRamBytes: 'static RAM the library adds (bytes)',
  };
  if (known[key]) return known[key]!;
  const unit = /Bytes$/.test(key) ? 'bytes' : /Ms$/.test(key) ? 'ms' : /Uj$/.test(key) ? 'µJ' : /Ns$/.test(key) ? 'ns' : undefined;
  const words = key.replace(/(Bytes|Ms|Uj|Ns)$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(/\bram\b/g, 'RAM');
  return unit ? `${words} (${unit})` : words;
}

/** What a chart leaves out and why, as a line under its title. */
function missingNote(records: RawRecord[], op: string | undefined, shown: (r: RawRecord) => boolean): string | undefined {
  const gone = records.filter((r) => (op === undefined || r.op === op) && !shown(r));
  if (!gone.length) return undefined;
  const why = [...new Set(gone.map((r) => r.status))].map((s) => `${gone.filter((r) => r.status === s).map((r) => `${r.board} · ${libraryLabel(r)}`).slice(0, 6).join(', ')}${gone.filter((r) => r.status === s).length > 6 ? ', …' : ''}: ${s}`);
  return `Not shown — ${why.join('; ')}`;
}

function barConfig(labels: string[], datasets: ChartDataset<'bar', (number | null)[]>[], title: string, yLabel: string, opts: { stacked?: boolean; log?: boolean; horizontal?: boolean; note?: string } = {}): ChartSpec['config'] {
  // Horizontal bars when there are many labels: the value axis is then x.
  const [cat, val] = opts.horizontal ? ['y', 'x'] : ['x', 'y'];
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: false,
      animation: false,
      indexAxis: opts.horizontal ? 'y' : 'x',
      plugins: {
        title: { display: true, text: title, font: { size: 15 } },
        subtitle: { display: !!opts.note || !!opts.log, text: [opts.log ? 'Logarithmic axis: the values span more than 50x, so each gridline is ten times the one below.' : '', opts.note ?? ''].filter(Boolean), font: { size: 11 }, color: '#555' },
        legend: { position: 'bottom' },
      },
      scales: {
        [cat]: { stacked: opts.stacked },
        [val]: {
          type: opts.log ? 'logarithmic' : 'linear',
          stacked: opts.stacked,
          beginAtZero: !opts.log,
          // A log axis starts at the power of ten below the smallest bar, so every bar shows.
          min: opts.log ? logFloor(datasets) : undefined,
          title: { display: true, text: yLabel },
          ticks: {
            // On a log axis only 1-2-5 steps get a label, or they collide.
            callback: (v) => {
              const n = Number(v);
              if (opts.log && ![1, 2, 5].includes(Number((n / 10 ** Math.floor(Math.log10(n))).toPrecision(3)))) return '';
              return shortNumber(n);
            },
          },
        },
      },
    },
  };
}

const logFloor = (datasets: ChartDataset<'bar', (number | null)[]>[]) => {
  const v = datasets.flatMap((d) => d.data).filter((x): x is number => x !== null && x > 0);
  return v.length ? 10 ** Math.floor(Math.log10(Math.min(...v))) : undefined;
};

// Spans of more than 50x (e.g. 0.26 M to 340 M instructions) hide the small bars on a linear axis.
const wantsLog = (vals: (number | null)[]) => {
  const v = vals.filter((x): x is number => x !== null && x > 0);
  return v.length > 1 && Math.max(...v) / Math.min(...v) > 50;
};

/** "mps2-an386 (M4)", or with the MCU profile its cycles are for: "mps2-an386 (M4, nrf52840)". */
const boardLabel = (records: RawRecord[], board: string, withProfile = false) => {
  const r = records.find((x) => x.board === board);
  const core = r?.core.replace(/^cortex-/, '').toUpperCase();
  const profile = withProfile ? [...new Set(records.filter((x) => x.board === board).map(profileName).filter(Boolean))].join('/') : '';
  return core ? `${board} (${core}${profile ? `, ${profile}` : ''})` : board;
};

/** One metric of one op: boards on x, a bar per library. Only right answers are charted. */
export function opMetricChart(records: RawRecord[], op: string, metric: string): ChartSpec | null {
  const rs = records.filter((r) => r.op === op && hasFigures(r) && num(r, metric) !== null);
  if (!rs.length) return null;
  const boards = uniq(records.filter((r) => r.op === op).map((r) => r.board));
  const libs = libraries(records);
  const datasets = libs.map((lib, i) => ({
    label: lib,
    backgroundColor: colour(i),
    data: boards.map((b) => num(rs.find((r) => r.board === b && libraryLabel(r) === lib) ?? ({} as RawRecord), metric)),
  })).filter((d) => d.data.some((x) => x !== null));
  const log = wantsLog(datasets.flatMap((d) => d.data));
  const modeled = metric === 'cycles' || metric === 'ms';
  const title = `${op}: ${axisTitle(metric)} per board${modeled ? ' (MCU profile)' : ''} and library${log ? ', log scale' : ''}`;
  const note = missingNote(records, op, (r) => hasFigures(r) && num(r, metric) !== null);
  return { id: `${slug(op)}-${slug(metric)}`, title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b, modeled)), datasets, title, axisTitle(metric), { log, note }) };
}

/** Peak stack and heap of one op, stacked per library. */
export function opMemoryChart(records: RawRecord[], op: string): ChartSpec | null {
  const rs = records.filter((r) => r.op === op && hasFigures(r) && (r.stackBytes !== null || r.heapBytes !== null));
  if (!rs.length) return null;
  const boards = uniq(records.filter((r) => r.op === op).map((r) => r.board));
  const libs = libraries(records).filter((l) => rs.some((r) => libraryLabel(r) === l));
  const pick = (b: string, lib: string, k: 'stackBytes' | 'heapBytes') => rs.find((r) => r.board === b && libraryLabel(r) === lib)?.[k] ?? null;
  const allLibs = libraries(records);
  const datasets = libs.flatMap((lib) => {
    const c = colour(allLibs.indexOf(lib));
    return [
      { label: `${lib} stack`, stack: lib, backgroundColor: c, data: boards.map((b) => pick(b, lib, 'stackBytes')) },
      { label: `${lib} heap`, stack: lib, backgroundColor: lighter(c), data: boards.map((b) => pick(b, lib, 'heapBytes')) },
    ];
  });
  const title = `${op}: peak stack + heap per board and library`;
  const note = missingNote(records, op, (r) => hasFigures(r) && (r.stackBytes !== null || r.heapBytes !== null));
  return { id: `${slug(op)}-memory`, title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b)), datasets, title, 'stack + heap peak (bytes)', { stacked: true, note }) };
}

/** Flash of each image (board x library): the same for every op of an image. */
export function flashChart(records: RawRecord[]): ChartSpec | null {
  const rs = records.filter((r) => r.flashBytes !== null);
  if (!rs.length) return null;
  const boards = uniq(records.map((r) => r.board));
  const allLibs = libraries(records);
  const datasets = allLibs.map((lib, i) => ({
    label: lib,
    backgroundColor: colour(i),
    data: boards.map((b) => {
      const v = rs.filter((r) => r.board === b && libraryLabel(r) === lib).map((r) => r.flashBytes!);
      return v.length ? Math.max(...v) : null;
    }),
  })).filter((d) => d.data.some((x) => x !== null));
  const title = 'Flash per image (code + read-only data + .data initialisers)';
  return { id: 'flash', title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b)), datasets, title, 'flash (bytes)') };
}

/** Charts for fields later record kinds add: a number per record, or parts of one (e.g. bytes per flight). */
export function extraCharts(records: RawRecord[], scan: ExtraScan): ChartSpec[] {
  const out: ChartSpec[] = [];
  const ok = records.filter(hasFigures);
  const allLibs = libraries(records);
  for (const e of scan.extras) {
    if (e.kind === 'scalar') {
      const rs = ok.filter((r) => num(r, e.key) !== null);
      if (!rs.length) continue;
      const xs = uniq(rs.map((r) => `${r.op} · ${r.board}`));
      const datasets = allLibs.map((lib, i) => ({
        label: lib,
        backgroundColor: colour(i),
        data: xs.map((x) => num(rs.find((r) => `${r.op} · ${r.board}` === x && libraryLabel(r) === lib) ?? ({} as RawRecord), e.key)),
      })).filter((d) => d.data.some((v) => v !== null));
      const log = wantsLog(datasets.flatMap((d) => d.data));
      const title = `${axisTitle(e.key)} per op, board and library${log ? ', log scale' : ''}`;
      out.push({ id: `extra-${slug(e.key)}`, title, width: 960, height: 440, config: barConfig(xs, datasets, title, axisTitle(e.key), { log }) });
    } else if (e.kind === 'parts') {
      const rs = ok.filter((r) => e.parts.some((p) => partValue(r, e.key, p) !== null));
      if (!rs.length) continue;
      const xs = rs.map((r) => `${libraryLabel(r)} · ${r.op} · ${r.board}`);
      const datasets = e.parts.map((p, i) => ({ label: p, backgroundColor: colour(i), data: rs.map((r) => partValue(r, e.key, p)) }));
      const title = `${axisTitle(e.key)}, stacked by part, per record`;
      const horizontal = xs.length > 12;
      out.push({ id: `extra-${slug(e.key)}`, title, width: 960, height: horizontal ? 160 + 18 * xs.length : 440, config: barConfig(xs, datasets, title, axisTitle(e.key), { stacked: true, horizontal }) });
    }
  }
  return out;
}

/** Renders specs to PNG. node-canvas is loaded here only, so modules that just build specs stay light. */
export async function renderCharts(specs: ChartSpec[]): Promise<RenderedChart[]> {
  if (!specs.length) return [];
  const { ChartJSNodeCanvas } = await import('chartjs-node-canvas');
  const canvases = new Map<string, InstanceType<typeof ChartJSNodeCanvas>>();
  const out: RenderedChart[] = [];
  for (const s of specs) {
    const size = `${s.width}x${s.height}`;
    let c = canvases.get(size);
    if (!c) {
      c = new ChartJSNodeCanvas({
        width: s.width,
        height: s.height,
        backgroundColour: 'white',
        chartCallback: (ChartJS) => {
          ChartJS.defaults.font.family = 'DejaVu Sans, sans-serif';
          ChartJS.defaults.color = '#222';
        },
      });
      canvases.set(size, c);
    }
    out.push({ id: s.id, title: s.title, png: await c.renderToBuffer(s.config as ChartConfiguration, 'image/png') });
  }
  return out;
}

/** The seed's story in one picture: bytes on the wire of every measured handshake, device to peer and back, on the first board that ran it. */
export function handshakeBytesChart(records: RawRecord[]): ChartSpec | null {
  const seen = new Set<string>();
  const rs = records.filter((r) => {
    const k = `${libraryLabel(r)}/${r.op}`;
    if (!r.handshake || r.modeled || r.status !== 'ok' || seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => a.handshake!.bytesC2S + a.handshake!.bytesS2C - (b.handshake!.bytesC2S + b.handshake!.bytesS2C));
  if (rs.length < 2) return null;
  const xs = rs.map((r) => `${r.op.replace(/^dtls-/, '')} · ${libraryLabel(r)}`);
  const datasets = [
    { label: 'device → peer', backgroundColor: colour(0), data: rs.map((r) => r.handshake!.bytesC2S) },
    { label: 'peer → device', backgroundColor: lighter(colour(0)), data: rs.map((r) => r.handshake!.bytesS2C) },
  ];
  const title = 'Bytes on the wire per handshake (UDP payload, both directions)';
  return { id: 'handshake-bytes', title, width: 960, height: 160 + 22 * xs.length, config: barConfig(xs, datasets, title, 'handshake bytes (UDP payload)', { stacked: true, horizontal: true }) };
}
