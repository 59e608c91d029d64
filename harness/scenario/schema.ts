// The scenario file format (YAML), validated with zod. Unknown keys are
// errors, so a typo never silently falls back to a default.
import { z } from 'zod';
import { didYouMean } from '../core/suggest.js';
import { boards } from '../catalog/boards.js';
import { resolveLibrary } from '../catalog/libraries.js';
import { OP_GROUPS, OP_IDS } from '../ops/index.js';
import { CyclesOptionSchema } from './cycles-option.js';
import { LibraryConfigSchema, PeerSchema, PkiSchema, PskSchema } from './byo.js';
import { BudgetSchema } from './budget.js';
import { ThresholdsSchema } from './thresholds.js';

const boardId = z.string().refine((b) => boards().has(b), { error: (iss) => `unknown board '${String(iss.input)}'${didYouMean(String(iss.input), [...boards().keys()])} (known: ${[...boards().keys()].join(', ')})` });
/** `name` (its newest pinned version) or `name@version`. */
const libraryRef = z.string().superRefine((l, ctx) => {
  const r = resolveLibrary(l);
  if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
});
const OP_NAMES = [...OP_IDS, ...Object.keys(OP_GROUPS)];
const opId = z.string().refine((o) => OP_NAMES.includes(o), { error: (iss) => `unknown op '${String(iss.input)}'${didYouMean(String(iss.input), OP_NAMES)} (known: ${OP_NAMES.join(', ')})` });
const uniqueList = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item).min(1).refine((a) => new Set(a).size === a.length, { message: 'duplicate entries' });

export const ScenarioSchema = z.strictObject({
  schema: z.literal(1).default(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  description: z.string().optional(),
  boards: uniqueList(boardId),
  libraries: uniqueList(libraryRef),
  // A family name (x509-verify-chain) stands for its members.
  ops: uniqueList(opId).transform((ops) => [...new Set(ops.flatMap((o) => OP_GROUPS[o] ?? [o]))]),
  vectors: z.strictObject({
    count: z.number().int().min(1).max(256).default(4),
    seed: z.string().min(1).default('certcost'),
    /** Also run Wycheproof's cases for ecdsa-verify and ecdh (harness/check/wycheproof.ts). */
    wycheproof: z.boolean().default(false),
  }).prefault({}),
  build: z.strictObject({
    opt: z.enum(['O1', 'O2', 'O3', 'Os']).default('Os'),
    cflags: z.array(z.string().regex(/^-[DfWm][A-Za-z0-9_=.,+-]*$/, 'only -D, -f, -W and -m flags')).default([]),
    /** Per library id: the deployment's own configuration file (mbedTLS config.h, wolfSSL user_settings.h). */
    config: z.record(z.string(), LibraryConfigSchema).default({}),
  }).prefault({}),
  limits: z.strictObject({
    opSeconds: z.number().positive().max(3600).default(300),
    bootSeconds: z.number().positive().max(600).default(30),
  }).prefault({}),
  /** After the run, find the smallest mbedTLS record buffers each DTLS handshake still completes with (harness/run/buffers.ts): a benchmark, many builds. */
  bufferSearch: z.boolean().default(false),
  /** Also time each op in the host reference library (harness/host/timing.ts). */
  hostTiming: z.boolean().default(false),
  /** Cycle model: MCU profile(s) for cycles and ms (harness/cycles, data/mcu-profiles.yaml); runs images in addr mode. */
  cycles: CyclesOptionSchema.optional(),
  /** The deployment's own PSK, PKI (PEM files relative to this file) and DTLS peer (harness/scenario/byo.ts). */
  psk: PskSchema.optional(),
  pki: PkiSchema.optional(),
  peer: PeerSchema.prefault({}),
  /** MCU sizing limits for `certcost report` (harness/report/sizing.ts). */
  budget: BudgetSchema.optional(),
  /** Per-metric tolerances for `certcost check` (harness/gate/thresholds.ts). */
  thresholds: ThresholdsSchema.optional(),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
