// Synthetic results for unit tests of formatting and comparison logic only:
// every figure here is invented test input, never a measurement. The
// integration tests (test/integration/report-browser, gate-regression) use
// real runs.
import { parseResults, type LoadedResults } from '../../harness/results/read.js';
import { RESULTS_SCHEMA_VERSION } from '../../harness/record/schema.js';
import type { Status } from '../../harness/record/status.js';

export interface Rec {
  board: string;
  library: string;
  op: string;
  status?: Status;
  instructions?: number | null;
  flashBytes?: number | null;
  ramBytes?: number | null;
  stackBytes?: number | null;
  heapBytes?: number | null;
  sha?: string;
  [extra: string]: unknown;
}

const CORE: Record<string, string> = { microbit: 'cortex-m0', 'mps2-an385': 'cortex-m3', 'mps2-an386': 'cortex-m4' };

export function fixture(recs: Rec[], opts: { version?: string; gcc?: string; scenarioFile?: string; sha?: string } = {}): LoadedResults {
  const records = recs.map(({ board, library, op, status = 'ok', instructions = 1000, flashBytes = 20000, ramBytes = 4000, stackBytes = 800, heapBytes = 0, sha = 'a'.repeat(64), ...extra }) => ({
    board, core: CORE[board] ?? 'cortex-m4', qemuMachine: board, library, op, status,
    ...(status !== 'ok' ? { reason: `synthetic ${status}` } : {}),
    instructions: status === 'ok' ? instructions : null, instructionsMin: null, instructionsMax: null,
    flashBytes, ramBytes, stackBytes: status === 'ok' ? stackBytes : null, heapBytes: status === 'ok' ? heapBytes : null,
    vectors: { total: 2, agree: 2, disagree: [] }, perVector: [],
    image: { elf: `build/fw/${board}/${library}-Os/firmware.elf`, sha256: sha, opt: 'Os' },
    wallMs: 1,
    ...extra,
  }));
  const results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'certcost', version: opts.version ?? '0.1.0' },
    scenario: { name: 'fixture', file: opts.scenarioFile ?? 'scenarios/does-not-exist.yaml', sha256: opts.sha ?? 'f'.repeat(64) },
    environment: { qemu: 'QEMU 7.2', gcc: opts.gcc ?? 'gcc 12.2', node: 'v20' },
    startedAt: '2020-01-01T00:00:00.000Z',
    finishedAt: '2020-01-01T00:01:00.000Z',
    records,
  };
  return parseResults('/fixture/results.json', JSON.stringify(results));
}
