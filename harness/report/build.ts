// results -> documents: the report (`certcost report`: sizing, per-op tables
// and charts, handshakes, the protocol comparison, certificates, revocation, the cycle model, every
// record) and results.md (what `certcost run` and `merge` write next to
// results.json: the records, then the same domain sections). One model, one
// Markdown renderer, one HTML renderer.
import { createHash } from 'node:crypto';
import type { Results, RawRecord } from '../record/schema.js';
import { scanExtras, uniq, type ExtraScan } from '../record/metrics.js';
import type { Budget } from '../scenario/budget.js';
import { extraCharts, handshakeBytesChart, type ChartSpec } from './charts.js';
import { section, type Document, type Section } from './document.js';
import { certificateSections } from './sections/certificates.js';
import { cyclesSections } from './sections/cycles.js';
import { extrasSection } from './sections/extras.js';
import { findingsSection, notMeasuredSection, wycheproofSection } from './sections/findings.js';
import { comparisonSections } from './sections/comparison.js';
import { handshakeSections } from './sections/handshakes.js';
import { imagesSection, opSections } from './sections/ops.js';
import { allRecordsTable, recordsTable } from './sections/records.js';
import { revocationSections } from './sections/revocation.js';
import { sizingSections } from './sections/sizing.js';
import { versionsSections } from './sections/versions.js';
import { sizing, type SizingRow } from './sizing.js';

export interface Report extends Document {
  sizing: SizingRow[];
  extras: ExtraScan;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Sections both documents have, in this order. */
const domainSections = (records: RawRecord[]): Section[] => [
  // The seed's story at a glance first: every protocol and credential side by side.
  ...comparisonSections(records),
  ...handshakeSections(records),
  ...versionsSections(records),
  ...certificateSections(records),
  ...revocationSections(records),
  ...cyclesSections(records),
];

/** results.md: the records as measured, then the domain sections. No charts. */
export function buildResultsDocument(results: Results, resultsText: string): Document {
  const records = results.records as RawRecord[];
  return {
    title: `certcost results: ${results.scenario.name}`,
    meta: [
      `Scenario \`${results.scenario.file}\` (sha256 ${results.scenario.sha256.slice(0, 12)}), certcost ${results.tool.version}, ${results.environment.qemu}, ${results.environment.gcc}.`,
      'Instructions are exact counts of the op\'s measured region (QEMU TCG plugin), median over the representative vectors.',
    ],
    sections: [section('records', 'Records', { tables: [recordsTable(records)] }), ...domainSections(records)],
    charts: [],
    source: { file: 'results.json', sha256: sha(resultsText) },
  };
}

export function buildReport(loaded: { file: string; text: string; results: Results; records: RawRecord[] }, budget: Budget = {}): Report {
  const { results, records } = loaded;
  const charts: ChartSpec[] = [];
  const addChart = (c: ChartSpec | null) => (c ? (charts.push(c), [c.id]) : []);
  const sections: Section[] = [];
  const counts = uniq(records.map((r) => r.status)).map((s) => `${records.filter((r) => r.status === s).length} ${s}`).join(', ');

  // The question certcost exists for comes first: which MCU and library, per use case.
  const sizingRows = sizing(records, budget);
  sections.push(...sizingSections(sizingRows, budget));
  // Then the comparisons a reader came for, then the detail per op and image.
  const domain = domainSections(records);
  const story = domain.find((s) => s.id === 'protocol-comparison');
  if (story) story.charts.push(...addChart(handshakeBytesChart(records)));
  sections.push(...domain, ...opSections(records, addChart), ...imagesSection(records, addChart));
  const scan = scanExtras(records);
  sections.push(...extrasSection(records, scan, extraCharts(records, scan).flatMap(addChart)));
  sections.push(...wycheproofSection(records), ...findingsSection(records));
  sections.push(section('records', 'All records', { tables: [{ ...allRecordsTable(records), caption: `every record of the run (${records.length})`, collapsed: true }] }));
  sections.push(...notMeasuredSection(records));

  return {
    title: `certcost report: ${results.scenario.name}`,
    meta: [
      `Scenario ${results.scenario.file} (sha256 ${results.scenario.sha256.slice(0, 12)}), certcost ${results.tool.version}.`,
      `${results.environment.qemu}; ${results.environment.gcc}; node ${results.environment.node}.`,
      `Run ${results.startedAt} – ${results.finishedAt}: ${records.length} records (${counts}).`,
    ],
    source: { file: loaded.file, sha256: sha(loaded.text) },
    sections,
    charts,
    sizing: sizingRows,
    extras: scan,
  };
}
