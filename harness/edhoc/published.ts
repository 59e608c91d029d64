// Handshake sizes published on paper (data/published-handshake-sizes.yaml):
// the IETF draft comparing CoAP security protocols, with where each figure
// stands and which measured op it compares with. Shown beside the measured
// bytes in the report's protocol comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from '../core/paths.js';

export const PUBLISHED_FILE = join(ROOT, 'data', 'published-handshake-sizes.yaml');

const Row = z.strictObject({
  id: z.string(),
  label: z.string(),
  figure: z.string(),
  flights: z.array(z.number().int().positive()).min(1),
  ops: z.array(z.string()),
  match: z.enum(['same', 'nearest']).optional(),
  differs: z.string().optional(),
});
const File = z.strictObject({
  source: z.strictObject({ title: z.string(), id: z.string(), where: z.string().min(20), assumptions: z.string() }),
  rows: z.array(Row),
});
export type PublishedRow = z.infer<typeof Row> & { total: number };
export interface Published {
  source: z.infer<typeof File>['source'];
  rows: PublishedRow[];
}

let cached: Published | undefined;
export function loadPublished(file = PUBLISHED_FILE): Published {
  if (cached && file === PUBLISHED_FILE) return cached;
  const f = File.parse(parse(readFileSync(file, 'utf8')));
  const out = { source: f.source, rows: f.rows.map((r) => ({ ...r, total: r.flights.reduce((a, b) => a + b, 0) })) };
  if (file === PUBLISHED_FILE) cached = out;
  return out;
}

/** The published row an op is compared with, if any. */
export function publishedFor(op: string, p: Published = loadPublished()): PublishedRow | undefined {
  return p.rows.find((r) => r.ops.includes(op));
}
