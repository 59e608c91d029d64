// results -> Markdown table (results.md). Generated, never edited by hand.
import type { Results, ResultRecord } from '../results/schema.js';

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

function statusCell(r: ResultRecord): string {
  if (r.status === 'ok') return 'ok';
  return `${r.status}: ${(r.reason ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 160)}`;
}

export function recordsTable(records: ResultRecord[]): string {
  const head = '| board | core | library | op | instructions | flash B | RAM B | stack B | heap B | vectors | status |\n|---|---|---|---|---:|---:|---:|---:|---:|---|---|';
  const rows = records.map((r) =>
    `| ${r.board} | ${r.core} | ${r.library} | ${r.op} | ${num(r.instructions)} | ${num(r.flashBytes)} | ${num(r.ramBytes)} | ${num(r.stackBytes)} | ${num(r.heapBytes)} | ${r.vectors.total ? `${r.vectors.agree}/${r.vectors.total} agree` : '—'} | ${statusCell(r)} |`);
  return [head, ...rows].join('\n');
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
  ].join('\n');
}
