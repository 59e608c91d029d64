// results.json: the source of truth every report is generated from.
// Versioned; `certcost schema` prints it as JSON Schema (docs/results.schema.json).
import { z } from 'zod';
import { FindingSchema, FitSchema, StatusSchema } from './status.js';
import { PHASE_NAMES, PHASES, type Phase } from '../core/timing.js';

// 2: statuses does-not-fit and finding (record/status.ts), libraryVersion, fit, findings.
export const RESULTS_SCHEMA_VERSION = 2;

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

// Handshake records (harness/ops/dtls, harness/ops/edhoc): what went over
// the wire, flight by flight, and whether the byte model predicted it to the
// byte. For EDHOC a flight is one message and its `messages` are the
// message's CBOR items.
export const HandshakeSchema = z.object({
  peer: z.string().describe('the independent peer the device talked to, e.g. "openssl s_server (OpenSSL 3.0.x)"'),
  protocol: z.string().optional().describe('the handshake protocol: "DTLS 1.2", "DTLS 1.3", "EDHOC"'),
  suite: z.string().optional(),
  bytesC2S: z.number().int().describe('DTLS payload of the counted handshake\'s flights, device to server'),
  bytesS2C: z.number().int(),
  datagramsC2S: z.number().int(),
  datagramsS2C: z.number().int(),
  flights: z.array(z.object({
    dir: z.enum(['c2s', 's2c']),
    bytes: z.number().int(),
    datagrams: z.number().int(),
    messages: z.array(z.object({ name: z.string(), bytes: z.number().int().describe('record + handshake headers + body (or ciphertext)'), fragments: z.number().int() })),
  })),
  recordOverheadBytes: z.number().int().describe('13 B per record header'),
  handshakeOverheadBytes: z.number().int().optional().describe('12 B per plaintext handshake fragment header'),
  retransmissions: z.number().int().describe('retransmitted flights seen in the capture'),
  peerChoices: z.object({ cookieLength: z.number().int().nullable(), packing: z.enum(['fill', 'datagram-per-record', 'ccs-with-finished']) }).optional().describe('what the peer chose, read off the capture: HelloVerifyRequest cookie length (null: none) and how it packs records into datagrams'),
  retransmittedBytes: z.number().int().optional().describe('bytes of the flights sent again (a peer\'s timer fired): on the wire, but not in bytesC2S/bytesS2C or the on-air cost'),
  modelCheck: z.enum(['equal', 'differs']),
  differences: z.array(z.string()),
  certificates: z.object({ server: z.array(z.number().int()).optional(), device: z.array(z.number().int()).optional() }).optional().describe('DER sizes of the certificates sent, leaf first'),
  bytesRange: z.object({ c2s: z.tuple([z.number().int(), z.number().int()]), s2c: z.tuple([z.number().int(), z.number().int()]) }).optional().describe('min/max over the handshakes of the record (ECDSA signature DER lengths vary)'),
  notes: z.array(z.string()).optional(),
  whatIf: z.object({ spec: z.string(), base: z.string(), baseBytes: z.number().int(), delta: z.number().int(), note: z.string() }).optional().describe('modeled variants: the measured handshake they change and how'),
});

export const OnAirSchema = z.object({
  profile: z.string(),
  name: z.string(),
  frames: z.number().int(),
  framesUp: z.number().int(),
  framesDown: z.number().int(),
  ackFrames: z.number().int(),
  bytes: z.number().int().describe('every byte of the data frames on the air, headers included'),
  airtimeMs: z.number(),
  energyUj: z.number().describe('device radio energy, TX + RX (data/link-profiles.yaml)'),
  money: z.object({ amount: z.number(), currency: z.string(), label: z.string() }).optional(),
});

// Certificate records (harness/ops/x509-*.ts, crl-check.ts, ocsp-*.ts):
// one row per variant (chain, CRL size, responder answer, handshake) and,
// for x509-validity, the verdict matrix. docs/certificates.md.
export const CertRowSchema = z.object({
  id: z.string(),
  verdict: z.enum(['accepted', 'rejected', 'parsed', 'does-not-fit', 'error', 'unsupported']),
  reasons: z.array(z.string()).describe('verdict bits the device answered (docs/ops.md, "Certificates")'),
  expected: z.string().optional().describe('the reference verdict (node:crypto / the harness responder\'s stated answer)'),
  agree: z.boolean(),
  instructions: z.number().int().nullable(),
  heapBytes: z.number().int().nullable().describe('heap peak of the op'),
  stackBytes: z.number().int().nullable(),
  depth: z.number().int().optional(),
  issuer: z.string().optional().describe('key type of the CA certificates'),
  derBytes: z.number().int().optional().describe('DER bytes the device was given (chain, CRL)'),
  crlEntries: z.number().int().optional(),
  blobBytes: z.number().int().optional().describe('RAM holding the downloaded CRL, besides the op\'s heap'),
  bytesOut: z.number().int().optional(),
  bytesIn: z.number().int().optional(),
  roundTrips: z.number().int().optional(),
  policy: z.string().optional(),
  responder: z.string().optional(),
  baselineInstructions: z.number().int().optional().describe('the same verification without the revocation check'),
  note: z.string().optional(),
});

export const ValidityCellSchema = z.object({
  clock: z.string().describe('the device clock situation (harness/x509/clock.ts)'),
  cert: z.string().describe('the certificate\'s validity relative to the true time'),
  believed: z.number().int().describe('Unix seconds the device believed (0 = no clock)'),
  truth: z.enum(['valid', 'expired', 'not-yet-valid']).describe('the certificate at the true time'),
  verdict: z.enum(['accepted', 'rejected', 'does-not-fit', 'error']),
  reasons: z.array(z.string()),
  reference: z.enum(['accepted', 'rejected']).describe('node:crypto at the believed time'),
  agree: z.boolean(),
  risk: z.enum(['accepts-invalid', 'rejects-valid']).nullable(),
});

export const RecordSchema = z.object({
  board: z.string(),
  core: z.string(),
  qemuMachine: z.string(),
  library: z.string(),
  libraryVersion: z.string().optional().describe('the pinned upstream version of the library the image was built with (firmware/adapters/<library>/adapter.mk LIB_VERSIONS)'),
  op: z.string(),
  status: StatusSchema,
  reason: z.string().optional().describe('why, for every status but ok (record/status.ts)'),
  fit: FitSchema.optional().describe('does-not-fit: which resource, what it needed and what the board has'),
  findings: z.array(FindingSchema).optional().describe('finding: each invalid or edge-case input the library mis-handled'),
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
  libraryConfig: z.object({
    file: z.string().describe('as the scenario names it (relative to the scenario file)'),
    mode: z.enum(['overlay', 'replace']).describe('on top of the adapter\'s configuration, or instead of it'),
    sha256: z.string(),
  }).optional().describe('the scenario\'s own library configuration (build.config) the image was built with'),
  image: z.object({ elf: z.string(), sha256: z.string().describe('sha256 of the loaded sections (what is flashed): the same firmware hashes the same in any checkout'), opt: z.string() }).optional(),
  wycheproof: WycheproofSchema.optional(),
  hostNs: z.number().optional().describe('host reference library: median wall-clock ns per op (scenario hostTiming), a rough scale only'),
  hostLib: z.string().optional().describe('what hostNs timed, e.g. "@noble/curves 2.4.0"'),
  cycles: z.number().int().optional().describe('cycle model estimate for cycleProfile (harness/cycles): median over the same vectors as instructions'),
  ms: z.number().optional().describe('cycles at the cycle profile\'s clock, in milliseconds'),
  cycleProfile: z.string().optional().describe('MCU profile of the cycle estimate (data/mcu-profiles.yaml)'),
  cpuEnergyUj: z.number().optional().describe('CPU energy of ms, in µJ: the cycle profile\'s run current per MHz × its clock × its supply × ms (harness/cycles/energy.ts; no sleep inside the op, waits for a peer not in ms); absent when the profile has no run-current figure'),
  msBand: z.tuple([z.number(), z.number()]).optional().describe('silicon ms the cycle model\'s validation errors for this core allow, [low, high] (`certcost calibrate`, data/cycle-error-bands.json); absent when no validation point covers the core'),
  msErrorPct: z.number().optional().describe('the largest |error| of the cycle model on the validation points of this core, in % (`certcost calibrate`)'),
  cycleError: z.object({ core: z.string(), minPct: z.number(), maxPct: z.number(), points: z.number().int() }).optional().describe('the validation errors behind msBand: smallest and largest (modeled - published) / published in %, and how many points'),
  topFunctions: z.array(z.object({ name: z.string(), cycles: z.number().int(), share: z.number() })).optional().describe('functions by own (self) cycles, median vector'),
  shares: z.object({ bignum: z.number(), hash: z.number(), other: z.number() }).optional().describe('cycle shares: bignum arithmetic, hashing, the rest (harness/cycles/functions.ts)'),
  modeled: z.boolean().optional().describe('computed by the byte model only: nothing of it ran or went over a wire'),
  handshake: HandshakeSchema.optional(),
  bufferSearch: z.object({
    knobs: z.array(z.object({ name: z.string(), default: z.number().int(), smallest: z.number().int().nullable() })),
    heapAtDefault: z.number().int().nullable(),
    heapAtSmallest: z.number().int().nullable(),
    savedBytes: z.number().int().nullable(),
    note: z.string(),
  }).optional().describe('scenario bufferSearch: the smallest record buffers the handshake completes with, and the RAM that saves'),
  pki: z.object({
    source: z.enum(['test', 'scenario']).describe('the seeded test PKI, or the scenario\'s own PEM files (pki:)'),
    server: z.array(z.object({ subject: z.string(), derBytes: z.number().int(), key: z.string() })).describe('the certificates the server sends, leaf first'),
    device: z.array(z.object({ subject: z.string(), derBytes: z.number().int(), key: z.string() })).optional(),
  }).optional().describe('certificate handshakes: which PKI, and each certificate sent'),
  onAir: z.array(OnAirSchema).optional().describe('the handshake\'s datagrams costed per link profile (modeled)'),
  certRows: z.array(CertRowSchema).optional().describe('certificate ops: one row per variant'),
  validity: z.array(ValidityCellSchema).optional().describe('x509-validity: the (clock, certificate) verdict matrix'),
  wallMs: z.number(),
});

// Where the run's wall time went (harness/core/timing.ts): never a
// measurement, never compared by `check`; a run on a busy machine differs.
const PhasesSchema = z.object(Object.fromEntries(PHASE_NAMES.map((p) => [p, z.number().describe(`ms: ${PHASES[p]}`)])) as Record<Phase, z.ZodNumber>);
const GuestSchema = z.object({
  counted: z.number().describe('guest instructions inside counted brackets (exact)'),
  verdicts: z.number().describe('guest instructions inside the brackets of verdict-only ops (Wycheproof; per translation block, approximate)'),
  executed: z.number().describe('guest instructions QEMU executed in all (idle UART polling included; a killed QEMU\'s last stretch is not)'),
});
const SplitSchema = z.object({ wallMs: z.number(), phases: PhasesSchema, guest: GuestSchema, ops: z.number().int(), boots: z.number().int() });
export const TimingSchema = z.object({
  wallMs: z.number().describe('the run, start to results'),
  jobs: z.number().int(),
  cores: z.number().int(),
  loadAverage: z.object({ start: z.array(z.number()), end: z.array(z.number()) }).describe('1, 5 and 15 minute load averages of the host at start and end'),
  total: SplitSchema.describe('the run\'s own account plus every image\'s: with --jobs > 1 the phases add up to more than wallMs'),
  run: SplitSchema.describe('outside any image: host timing, the empty images'),
  images: z.array(SplitSchema.extend({ board: z.string(), library: z.string(), libraryVersion: z.string().optional(), cflags: z.array(z.string()) })),
});
export type Timing = z.infer<typeof TimingSchema>;

export const ResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('certcost'), version: z.string() }),
  scenario: z.object({ name: z.string(), file: z.string(), sha256: z.string() }),
  environment: z.object({ qemu: z.string(), gcc: z.string(), node: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  records: z.array(RecordSchema),
  timing: TimingSchema.optional().describe('where the wall time went; `certcost run` prints it'),
});

export type ResultRecord = z.infer<typeof RecordSchema>;
export type HandshakeRecord = z.infer<typeof HandshakeSchema>;
export type OnAirRecord = z.infer<typeof OnAirSchema>;
export type WycheproofRecord = z.infer<typeof WycheproofSchema>;
export type CertRow = z.infer<typeof CertRowSchema>;
export type ValidityCell = z.infer<typeof ValidityCellSchema>;
export type Results = z.infer<typeof ResultsSchema>;
/** A record as validated, plus every field the file had (fields added after this schema included). */
export type RawRecord = ResultRecord & Record<string, unknown>;

export function resultsJsonSchema(): unknown {
  return z.toJSONSchema(ResultsSchema, { target: 'draft-2020-12' });
}
