// What a record's status means, in one place. Each status means one thing:
//   ok            measured, and every answer agreed with the reference
//   does-not-fit  the board's flash, RAM, heap, stack or link cannot hold it
//                 (a result: `fit` says what was needed and what was there)
//   finding       the library mis-handles an invalid or edge-case input
//                 (Wycheproof, tampered signatures, off-curve points, forged
//                 chains): a result about the library, listed per case
//   mismatch      a valid input got a wrong answer, or the byte model
//                 disagrees with the wire: a bug in certcost or the library
//   error         certcost failed to measure it
//   unsupported   the library (or this build of it) cannot do it, with why
// `certcost run` exits 0 when everything was measured, 1 on mismatch/error.
import { z } from 'zod';

export const STATUSES = ['ok', 'does-not-fit', 'finding', 'mismatch', 'error', 'unsupported'] as const;
export type Status = (typeof STATUSES)[number];
export const StatusSchema = z.enum(STATUSES);

/** Statuses that are answers (the run exits 0); the others make it exit 1. */
export const MEASURED: ReadonlySet<Status> = new Set(['ok', 'does-not-fit', 'finding', 'unsupported']);
/** Statuses whose record has no trustworthy figure, for the reports' "not measured" list. */
export const NOT_MEASURED: ReadonlySet<Status> = new Set(['does-not-fit', 'mismatch', 'error', 'unsupported']);

/** How much a record's status weighs for the CI gate: a step up is a regression. */
export const STATUS_RANK: Record<Status, number> = { ok: 0, unsupported: 1, 'does-not-fit': 2, finding: 2, mismatch: 3, error: 3 };

export type Resource = 'flash' | 'ram' | 'heap' | 'stack' | 'link';
export const FitSchema = z.object({
  resource: z.enum(['flash', 'ram', 'heap', 'stack', 'link']),
  needed: z.number().int().optional().describe('bytes it needed, where known (at least this much: the peak when it failed)'),
  available: z.number().int().optional().describe('bytes the board has for it'),
});
export type Fit = z.infer<typeof FitSchema>;

export const FindingSchema = z.object({
  case: z.string().describe('the vector, Wycheproof tcId or certificate case'),
  expected: z.string(),
  got: z.string(),
  comment: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** An error that is the answer "does not fit" (caught where records are made). */
export const doesNotFit = (message: string, fit: Fit) => Object.assign(new Error(message), { fit });
/** An error that is the answer "unsupported". */
export const unsupported = (message: string) => Object.assign(new Error(message), { unsupported: true as const });

export type Answer = Error & { fit?: Fit; unsupported?: boolean };

/** A record whose figures can be trusted: ok, or a finding (the valid inputs agreed; only invalid ones were mis-handled). */
export const hasFigures = (r: { status: Status }) => r.status === 'ok' || r.status === 'finding';
