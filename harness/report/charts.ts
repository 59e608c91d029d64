// Chart specs from records (pure, testable) and their PNG rendering with
// Chart.js on node-canvas. One chart per op and metric, boards on the x axis,
// one bar per library; extras discovered in the records get a chart each.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { RawRecord } from '../record/schema.js';
import { type ExtraScan, METRIC_LABEL, libraries, num, partValue, uniq } from '../record/metrics.js';
import { libraryLabel } from '../record/key.js';

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

function barConfig(labels: string[], datasets: ChartDataset<'bar', (number | null)[]>[], title: string, yLabel: string, opts: { stacked?: boolean; log?: boolean; horizontal?: boolean } = {}): ChartSpec['config'] {
  // Horizontal bars when there are many labels: the value axis is then x.
  const [cat, val] = opts.horizontal ? ['y', 'x'] : ['x', 'y'];
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: false,
      animation: false,
      indexAxis: opts.horizontal ? 'y' : 'x',
      plugins: { title: { display: true, text: title, font: { size: 15 } }, legend: { position: 'bottom' } },
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

const boardLabel = (records: RawRecord[], board: string) => {
  const core = records.find((r) => r.board === board)?.core.replace(/^cortex-/, '').toUpperCase();
  return core ? `${board} (${core})` : board;
};

/** One metric of one op: boards on x, a bar per library. Only right answers are charted. */
export function opMetricChart(records: RawRecord[], op: string, metric: string): ChartSpec | null {
  const rs = records.filter((r) => r.op === op && r.status === 'ok' && num(r, metric) !== null);
  if (!rs.length) return null;
  const boards = uniq(records.filter((r) => r.op === op).map((r) => r.board));
  const libs = libraries(records);
  const datasets = libs.map((lib, i) => ({
    label: lib,
    backgroundColor: colour(i),
    data: boards.map((b) => num(rs.find((r) => r.board === b && libraryLabel(r) === lib) ?? ({} as RawRecord), metric)),
  })).filter((d) => d.data.some((x) => x !== null));
  const log = wantsLog(datasets.flatMap((d) => d.data));
  const label = METRIC_LABEL[metric] ?? metric;
  const title = `${op}: ${label} per board and library${log ? ' (log scale)' : ''}`;
  return { id: `${slug(op)}-${slug(metric)}`, title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b)), datasets, title, label, { log }) };
}

/** Peak stack and heap of one op, stacked per library. */
export function opMemoryChart(records: RawRecord[], op: string): ChartSpec | null {
  const rs = records.filter((r) => r.op === op && r.status === 'ok' && (r.stackBytes !== null || r.heapBytes !== null));
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
  const title = `${op}: peak stack + heap (bytes)`;
  return { id: `${slug(op)}-memory`, title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b)), datasets, title, 'bytes', { stacked: true }) };
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
  return { id: 'flash', title, width: 960, height: 440, config: barConfig(boards.map((b) => boardLabel(records, b)), datasets, title, 'bytes') };
}

/** Charts for fields later record kinds add: a number per record, or parts of one (e.g. bytes per flight). */
export function extraCharts(records: RawRecord[], scan: ExtraScan): ChartSpec[] {
  const out: ChartSpec[] = [];
  const ok = records.filter((r) => r.status === 'ok');
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
      const title = `${e.key} per op, board and library${log ? ' (log scale)' : ''}`;
      out.push({ id: `extra-${slug(e.key)}`, title, width: 960, height: 440, config: barConfig(xs, datasets, title, e.key, { log }) });
    } else if (e.kind === 'parts') {
      const rs = ok.filter((r) => e.parts.some((p) => partValue(r, e.key, p) !== null));
      if (!rs.length) continue;
      const xs = rs.map((r) => `${libraryLabel(r)} · ${r.op} · ${r.board}`);
      const datasets = e.parts.map((p, i) => ({ label: p, backgroundColor: colour(i), data: rs.map((r) => partValue(r, e.key, p)) }));
      const title = `${e.key}, stacked by part, per record`;
      const horizontal = xs.length > 12;
      out.push({ id: `extra-${slug(e.key)}`, title, width: 960, height: horizontal ? 160 + 18 * xs.length : 440, config: barConfig(xs, datasets, title, e.key, { stacked: true, horizontal }) });
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
