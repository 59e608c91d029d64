// A report from a real run, opened in a real browser: headless Debian
// chromium through playwright-core (never a downloaded browser). The page
// must load offline with no console errors and every chart image decoded.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { main } from '../../harness/cli.js';

const CHROMIUM = '/usr/bin/chromium';

describe('HTML report in headless chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-report-'));
  const out = join(dir, 'out');
  let runCode = -1, reportCode = -1;

  beforeAll(async () => {
    const file = join(dir, 'report.yaml');
    writeFileSync(file, [
      'name: report-it',
      'boards: [microbit, mps2-an386]',
      'libraries: [mbedtls, micro-ecc]',
      'ops: [ecdsa-verify, sha256-1k]',
      'vectors: {count: 2}',
      'budget: {flashBytes: 32KiB, stackBytes: 2KiB, instructions: 30M}',
      '',
    ].join('\n'));
    runCode = await main(['run', file, '--out', out]);
    reportCode = await main(['report', out]);
  });

  it('writes every format from results.json', () => {
    expect(runCode).toBe(0);
    expect(reportCode).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.charts.length).toBeGreaterThanOrEqual(5); // 2 ops x (instructions, memory) + flash
    for (const c of report.charts) expect(existsSync(join(out, c.file)), c.file).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const c of report.charts) expect(md).toContain(`](${c.file})`);
    const csv = readFileSync(join(out, 'report.csv'), 'utf8').trimEnd().split('\r\n');
    expect(csv).toHaveLength(1 + 8);
    // the scenario's budget: mbedTLS 3.6 verify on the M0 is over 30 M instructions (~48 M measured)
    const m0 = report.sizing.find((r: { board: string; library: string; op: string }) => r.board === 'microbit' && r.library === 'mbedtls@3.6.6' && r.op === 'ecdsa-verify');
    expect(m0.verdict).toBe('fail');
    expect(m0.binding).toMatch(/^instructions 48\.\d+ M of 30 M/);
  });

  it('opens offline with no console errors, every image loaded, and a screenshot', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: run make setup`).toBe(true);
    const profile = mkdtempSync(join(tmpdir(), 'certcost-chromium-'));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto('file://' + join(out, 'report.html'), { waitUntil: 'load' });
      const imgs = await page.$$eval('img', (xs) => xs.map((i) => ({ alt: i.alt, complete: i.complete, w: i.naturalWidth })));
      const nCharts = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).charts.length;
      expect(imgs).toHaveLength(nCharts);
      for (const i of imgs) expect(i.complete && i.w > 0, i.alt).toBe(true);
      expect(errors).toEqual([]);
      // self-contained: nothing but the file itself and its inline images was requested
      expect(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('file://'))).toEqual([]);
      expect(await page.textContent('#sizing')).toMatch(/fail/);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: false });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      console.log(`report screenshot: ${shot}`);
    } finally {
      await ctx.close();
    }
  });
});
