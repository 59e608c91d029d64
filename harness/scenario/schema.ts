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
import { cflagRefusal, MAX_CFLAG_LENGTH, MAX_CFLAGS } from './cflags.js';

/** An id as shown in a message: a long one is cut (the length check says why it is wrong). */
const shown = (v: unknown) => { const t = String(v); return t.length > 60 ? `${t.slice(0, 57)}…` : t; };
const ID_MAX = 100;
const boardId = z.string().max(ID_MAX).refine((b) => b.length > ID_MAX || boards().has(b), { error: (iss) => `unknown board '${shown(iss.input)}'${didYouMean(String(iss.input), [...boards().keys()])} (known: ${[...boards().keys()].join(', ')})` });
/** `name` (its newest pinned version) or `name@version`. */
const libraryRef = z.string().max(ID_MAX).superRefine((l, ctx) => {
  if (l.length > ID_MAX) return;
  const r = resolveLibrary(l);
  if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
});
const OP_NAMES = [...OP_IDS, ...Object.keys(OP_GROUPS)];
const opId = z.string().max(ID_MAX).refine((o) => o.length > ID_MAX || OP_NAMES.includes(o), { error: (iss) => `unknown op '${shown(iss.input)}'${didYouMean(String(iss.input), OP_NAMES)} (known: ${OP_NAMES.join(', ')})` });
// Every list and string has a sane maximum: a scenario is a page of YAML, not data.
const uniqueList = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z.array(item).min(1).max(max).refine((a) => new Set(a).size === a.length, { message: 'duplicate entries' });

/** build.cflags: the allow-list (cflags.ts); `-include FILE` is resolved against the scenario's folder when the file is loaded (load.ts). */
const cflagList = z.array(z.string().max(MAX_CFLAG_LENGTH)).max(MAX_CFLAGS).superRefine((flags, ctx) => {
  for (let i = 0; i < flags.length; i++) {
    if (/^-include(\s|=|$)/.test(flags[i]!)) {
      if (flags[i] === '-include') i++; // its file is the next entry
      continue;
    }
    const why = cflagRefusal(flags[i]!);
    if (why) ctx.addIssue({ code: 'custom', path: [i], message: why });
  }
});

export const ScenarioSchema = z.strictObject({
  schema: z.literal(1).default(1),
  name: z.string().max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  description: z.string().max(4096).optional(),
  boards: uniqueList(boardId, 64),
  libraries: uniqueList(libraryRef, 64),
  // A family name (x509-verify-chain) stands for its members.
  ops: uniqueList(opId, 512).transform((ops) => [...new Set(ops.flatMap((o) => OP_GROUPS[o] ?? [o]))]),
  vectors: z.strictObject({
    count: z.number().int().min(1).max(256).default(4),
    seed: z.string().min(1).max(256).default('certcost'),
    /** Also run Wycheproof's cases for ecdsa-verify and ecdh (harness/check/wycheproof.ts). */
    wycheproof: z.boolean().default(false),
  }).prefault({}),
  build: z.strictObject({
    opt: z.enum(['O1', 'O2', 'O3', 'Os']).default('Os'),
    cflags: cflagList.default([]),
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
