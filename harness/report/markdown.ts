// results -> Markdown table (results.md). Generated, never edited by hand.
import type { Results, ResultRecord } from '../record/schema.js';
import { cyclesSection } from './cycles.js';
import { handshakeSection } from './handshakes.js';
// Certificates and revocation (harness/x509, harness/revocation).
import { certificateSection } from './certificates.js';
import { revocationSection } from './revocation.js';

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

function statusCell(r: ResultRecord): string {
  if (r.status === 'ok') return 'ok';
  return `${r.status}: ${(r.reason ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)}`;
}

export function recordsTable(records: ResultRecord[]): string {
  const head = '| board | core | library | op | instructions | flash B | RAM B | stack B | heap B | vectors | status |\n|---|---|---|---|---:|---:|---:|---:|---:|---|---|';
  const rows = records.map((r) =>
    `| ${r.board} | ${r.core} | ${r.library} | ${r.op} | ${num(r.instructions)} | ${num(r.flashBytes)} | ${num(r.ramBytes)} | ${num(r.stackBytes)} | ${num(r.heapBytes)} | ${r.vectors.total ? `${r.vectors.agree}/${r.vectors.total} agree` : '—'} | ${statusCell(r)} |`);
  return withExtraColumns(records, [head, ...rows]).join('\n');
}

// Crypto matrix extras: host timing and Wycheproof columns, shown only
// when some record has them, appended after the status column.
function withExtraColumns(records: ResultRecord[], lines: string[]): string[] {
  const cols: { name: string; align: string; cell: (r: ResultRecord) => string }[] = [];
  if (records.some((r) => r.hostNs !== undefined))
    cols.push({ name: 'host µs', align: '---:', cell: (r) => (r.hostNs === undefined ? '—' : `${(r.hostNs / 1000).toLocaleString('en-US', { maximumSignificantDigits: 3 })} (${r.hostLib ?? '?'})`) });
  if (records.some((r) => r.wycheproof))
    cols.push({ name: 'wycheproof', align: '---', cell: (r) => (r.wycheproof ? `${r.wycheproof.pass} pass, ${r.wycheproof.fail} fail, ${r.wycheproof.acceptable} acceptable, ${r.wycheproof.skipped} skipped` : '—') });
  if (records.some((r) => r.cycles !== undefined)) {
    cols.push({ name: 'cycles (model)', align: '---:', cell: (r) => (r.cycles === undefined ? '—' : `${r.cycles.toLocaleString('en-US')} (${r.cycleProfile})`) });
    cols.push({ name: 'ms', align: '---:', cell: (r) => (r.ms === undefined ? '—' : String(r.ms)) });
  }
  if (!cols.length) return lines;
  const [head, rule, ...rows] = lines.join('\n').split('\n');
  return [
    `${head} ${cols.map((c) => c.name).join(' | ')} |`,
    `${rule}${cols.map((c) => c.align).join('|')}|`,
    ...rows.map((line, i) => `${line} ${cols.map((c) => c.cell(records[i]!)).join(' | ')} |`),
  ];
}

export function resultsMarkdown(res: Results): string {
  return [
    `# certcost results: ${res.scenario.name}`,
    '',
    `Scenario \`${res.scenario.file}\` (sha256 ${res.scenario.sha256.slice(0, 12)}), certcost ${res.tool.version}, ${res.environment.qemu}, ${res.environment.gcc}.`,
    `Instructions are exact counts of the op's measured region (QEMU TCG plugin), median over the representative vectors.`,
    '',
    recordsTable(res.records),
    '',
    ...cyclesSection(res.records),
    ...handshakeSection(res.records),
    ...certificateSection(res.records),
    ...revocationSection(res.records),
  ].join('\n');
}
