// results.json: the source of truth every report is generated from.
// Versioned; `certcost schema` prints it as JSON Schema (docs/results.schema.json).
import { z } from 'zod';

export const RESULTS_SCHEMA_VERSION = 1;

export const StatusSchema = z.enum(['ok', 'mismatch', 'error', 'unsupported']);

export const FaultSchema = z.object({
  name: z.string(),
  causes: z.array(z.string()),
  pc: z.number().int(),
  pcSymbol: z.string(),
  lr: z.number().int(),
  lrSymbol: z.string(),
  cfsr: z.number().int(),
  hfsr: z.number().int(),
});

// Wycheproof cases run on the device in addition to the generated vectors
// (scenario vectors.wycheproof); never part of the instruction figure.
export const WycheproofSchema = z.object({
  file: z.string().describe('the Wycheproof JSON file, relative to the vendored crates folder'),
  pass: z.number().int().describe("device matched a 'valid' or 'invalid' case"),
  fail: z.number().int(),
  acceptable: z.number().int().describe("'acceptable' cases sent (either verdict is allowed)"),
  skipped: z.number().int().describe('cases the raw interface cannot express (e.g. non-DER signatures)'),
  skippedIds: z.record(z.string(), z.array(z.number().int())).describe('skipped tcIds by reason'),
  failures: z.array(z.object({ tcId: z.number().int(), comment: z.string(), expected: z.enum(['valid', 'invalid', 'acceptable']), got: z.string() })),
});

export const RecordSchema = z.object({
  board: z.string(),
  core: z.string(),
  qemuMachine: z.string(),
  library: z.string(),
  op: z.string(),
  status: StatusSchema,
  reason: z.string().optional().describe('why, for mismatch / error / unsupported'),
  instructions: z.number().int().nullable().describe('exact executed instructions of the counted region: median over representative vectors'),
  instructionsMin: z.number().int().nullable(),
  instructionsMax: z.number().int().nullable(),
  flashBytes: z.number().int().nullable().describe('image flash: code + read-only data + .data initialisers'),
  ramBytes: z.number().int().nullable().describe('static RAM: .data + .bss (includes certcost\'s own link buffers; see marginalRamBytes)'),
  marginalFlashBytes: z.number().int().optional().describe('flash this library adds over the empty image on the same board'),
  marginalRamBytes: z.number().int().optional().describe('static RAM this library adds over the empty image on the same board'),
  stackBytes: z.number().int().nullable().describe('peak stack of the op (painting), max over vectors'),
  heapBytes: z.number().int().nullable().describe('peak heap of the op (allocator wrapper), max over vectors'),
  vectors: z.object({ total: z.number().int(), agree: z.number().int(), disagree: z.array(z.object({ id: z.string(), detail: z.string() })) }),
  perVector: z.array(z.object({ id: z.string(), instructions: z.number().int().nullable(), status: z.number().int(), agree: z.boolean() })),
  fault: FaultSchema.optional(),
  image: z.object({ elf: z.string(), sha256: z.string(), opt: z.string() }).optional(),
  wycheproof: WycheproofSchema.optional(),
  hostNs: z.number().optional().describe('host reference library: median wall-clock ns per op (scenario hostTiming), a rough scale only'),
  hostLib: z.string().optional().describe('what hostNs timed, e.g. "@noble/curves 2.4.0"'),
  cycles: z.number().int().optional().describe('cycle model estimate for cycleProfile (harness/cycles): median over the same vectors as instructions'),
  ms: z.number().optional().describe('cycles at the cycle profile\'s clock, in milliseconds'),
  cycleProfile: z.string().optional().describe('MCU profile of the cycle estimate (data/mcu-profiles.yaml)'),
  topFunctions: z.array(z.object({ name: z.string(), cycles: z.number().int(), share: z.number() })).optional().describe('functions by own (self) cycles, median vector'),
  shares: z.object({ bignum: z.number(), hash: z.number(), other: z.number() }).optional().describe('cycle shares: bignum arithmetic, hashing, the rest (harness/cycles/functions.ts)'),
  wallMs: z.number(),
});

export const ResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('certcost'), version: z.string() }),
  scenario: z.object({ name: z.string(), file: z.string(), sha256: z.string() }),
  environment: z.object({ qemu: z.string(), gcc: z.string(), node: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  records: z.array(RecordSchema),
});

export type ResultRecord = z.infer<typeof RecordSchema>;
export type WycheproofRecord = z.infer<typeof WycheproofSchema>;
export type Results = z.infer<typeof ResultsSchema>;

export function resultsJsonSchema(): unknown {
  return z.toJSONSchema(ResultsSchema, { target: 'draft-2020-12' });
}
