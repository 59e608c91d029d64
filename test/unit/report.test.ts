import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/core/errors.js';
import { opMetricChart, renderCharts, shortNumber } from '../../harness/report/charts.js';
import { recordsCsv } from '../../harness/report/csv.js';
import { flatExtras, scanExtras } from '../../harness/record/metrics.js';
import { documentHtml } from '../../harness/report/html.js';
import { documentMarkdown } from '../../harness/report/md.js';
import { buildReport } from '../../harness/report/build.js';
import { sizing } from '../../harness/report/sizing.js';
import { BudgetSchema, parseBudgetArg, parseQuantity } from '../../harness/scenario/budget.js';
import { fixture } from './fixtures-results.js';

describe('budget quantities', () => {
  it('reads SI and IEC byte units, counts and durations', () => {
    expect(parseQuantity('flashBytes', '128KiB')).toBe(131072);
    expect(parseQuantity('bytesOnAir', '2KB')).toBe(2000);
    expect(parseQuantity('ramBytes', '1 MiB')).toBe(1048576);
    expect(parseQuantity('instructions', '30M')).toBe(30e6);
    expect(parseQuantity('ms', '1s')).toBe(1000);
    expect(parseQuantity('ms', 250)).toBe(250);
    expect(parseQuantity('flashBytes', '12 parsecs')).toBeUndefined();
    expect(parseQuantity('ms', '-1')).toBeUndefined();
  });

  it('parses --budget with short names and rejects unknown ones', () => {
    expect(parseBudgetArg('flash=128KiB, ram=32KiB,ms=1s,air=2KB,insns=5M')).toEqual({ flashBytes: 131072, ramBytes: 32768, ms: 1000, bytesOnAir: 2000, instructions: 5e6 });
    expect(() => parseBudgetArg('rom=1K')).toThrow(UserError);
    expect(() => parseBudgetArg('flash=lots')).toThrow(/bytes/);
  });

  it('validates the scenario section', () => {
    expect(BudgetSchema.parse({ flashBytes: '64KiB', ms: 500 })).toEqual({ flashBytes: 65536, ms: 500 });
    expect(BudgetSchema.safeParse({ flashBytes: 'big' }).success).toBe(false);
    expect(BudgetSchema.safeParse({ flash: 1 }).success).toBe(false); // strict: a typo is an error
  });
});

describe('MCU sizing, per use case', () => {
  const res = fixture([
    { board: 'microbit', library: 'a', op: 'verify', instructions: 40e6, stackBytes: 1200, heapBytes: 800, flashBytes: 30000, ramBytes: 6000 },
    { board: 'microbit', library: 'a', op: 'sign', instructions: 20e6, stackBytes: 1500, flashBytes: 30000, ramBytes: 6000 },
    { board: 'microbit', library: 'b', op: 'verify', instructions: 10e6, stackBytes: 900, flashBytes: 10000, ramBytes: 6000 },
    { board: 'microbit', library: 'b', op: 'sign', status: 'error' },
    { board: 'mps2-an385', library: 'c', op: 'verify', status: 'unsupported' },
    { board: 'mps2-an385', library: 'b', op: 'verify', status: 'does-not-fit' },
  ]);

  it('judges each op on its own, never on the worst op of the run', () => {
    const rows = sizing(res.records, { flashBytes: 32 * 1024, instructions: 30e6, ramBytes: 8000 });
    const a = (op: string) => rows.find((r) => r.library === 'a' && r.op === op)!;
    expect(a('verify').verdict).toBe('fail');
    expect(a('verify').binding).toMatch(/^instructions 40 M of 30 M \(133 %\)/);
    expect(a('sign')).toMatchObject({ verdict: 'pass', ramBytes: 7500 }); // static + heap + stack
    expect(a('verify').ramBytes).toBe(8000);
    expect(rows.find((r) => r.library === 'b' && r.op === 'sign')!.verdict).toBe('incomplete'); // an error has no figure to trust
    expect(rows.find((r) => r.library === 'c')!.verdict).toBe('unsupported');
    expect(rows.find((r) => r.board === 'mps2-an385' && r.library === 'b')!.verdict).toBe('does-not-fit');
  });

  it('says when a record does not report a budgeted metric instead of passing it', () => {
    const rows = sizing(res.records.filter((r) => r.library === 'a'), { ms: 1000 });
    expect(rows[0]).toMatchObject({ verdict: 'incomplete', binding: 'no ms figure (the scenario has no cycles:)' });
  });

  it('without a budget, lists every candidate as measured', () => {
    expect(sizing(res.records, {}).filter((r) => r.verdict === 'measured').length).toBe(3);
  });

  it('sizes per MCU profile when records carry one', () => {
    const p = fixture([
      { board: 'mps2-an386', library: 'a', op: 'verify', cycleProfile: 'nrf52840', ms: 900 },
      { board: 'mps2-an386', library: 'a', op: 'verify', cycleProfile: 'stm32f4', ms: 200, sha: 'b'.repeat(64) },
    ]);
    const rows = sizing(p.records, { ms: 500 });
    expect(rows.map((r) => [r.profile, r.verdict])).toEqual([['nrf52840', 'fail'], ['stm32f4', 'pass']]);
  });
});

describe('fields added by later record kinds', () => {
  const res = fixture([
    { board: 'mps2-an386', library: 'a', op: 'dtls-psk', bytesOnAir: 830, flights: { f1: 100, f2: 300 }, messages: [{ type: 'ClientHello', bytes: 90 }], odd: { nested: { x: 1 } } },
    { board: 'mps2-an386', library: 'b', op: 'dtls-psk', bytesOnAir: 900, flights: 430, perFlight: [120, 310, 40] },
  ]);

  it('are found by shape; mixed or unknown shapes are skipped with a reason', () => {
    const scan = scanExtras(res.records);
    expect(scan.extras).toContainEqual({ kind: 'scalar', key: 'bytesOnAir' });
    expect(scan.extras).toContainEqual({ kind: 'rows', key: 'messages', columns: ['type', 'bytes'] });
    expect(scan.skipped.map((s) => s.key).sort()).toEqual(['flights', 'odd']); // flights: an object in one record, a number in the other
    expect(scan.extras).toContainEqual({ kind: 'parts', key: 'perFlight', parts: ['1', '2', '3'] });
    expect(flatExtras(res.records[1]!, scan).get('perFlight.2')).toBe(310);
    const single = scanExtras(res.records.slice(0, 1));
    expect(flatExtras(res.records[0]!, single).get('flights.total')).toBe(400);
  });

  it('show up in every output and never break one', async () => {
    const r = buildReport(res);
    const more = r.sections.find((s) => s.id === 'more')!;
    expect(more.tables.map((t) => t.caption)).toContain('Per-record figures');
    expect(more.text.join()).toMatch(/flights — mixed shapes/);
    expect(documentMarkdown(r)).toMatch(/\| mps2-an386 \| a \| dtls-psk \| 830 \|/);
    expect(recordsCsv(res.records).split('\r\n')[0]).toMatch(/,bytesOnAir,/);
    const charts = await renderCharts(r.charts);
    expect(charts.map((c) => c.id)).toContain('extra-bytesonair');
  });
});

describe('report outputs', () => {
  const res = fixture([
    { board: 'microbit', library: 'a', op: 'verify', instructions: 300e6 },
    { board: 'microbit', library: 'b', op: 'verify', instructions: 2e6 },
    { board: 'mps2-an385', library: 'a', op: 'verify', instructions: 150e6 },
    { board: 'mps2-an385', library: 'b', op: 'verify', status: 'mismatch', reason: 'has, "quotes"\nand a newline' },
  ]);

  it('charts wide spreads on a log axis and only charts right answers', () => {
    const c = opMetricChart(res.records, 'verify', 'instructions')!;
    expect(c.title).toMatch(/log scale/);
    expect(c.config.options!.scales!.y!.type).toBe('logarithmic');
    expect(c.config.data.datasets.find((d) => d.label === 'b')!.data).toEqual([2e6, null]);
    expect(shortNumber(26_846_532)).toBe('26.8 M');
  });

  it('renders real PNGs and inlines them in one self-contained HTML file', async () => {
    const r = buildReport(res, { instructions: 200e6 });
    const charts = await renderCharts(r.charts);
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) expect(c.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const html = documentHtml(r, charts);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(charts.length);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain('<td class="bad">fail</td>');
    expect(html).toContain('<td class="bad">mismatch</td>');
  });

  it('writes RFC 4180 CSV, one row per record', () => {
    const lines = recordsCsv(res.records).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + res.records.length);
    expect(lines[4]).toContain('"has, ""quotes""\nand a newline"');
  });
});
