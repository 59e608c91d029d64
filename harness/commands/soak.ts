// `certcost soak [--library mbedtls] [--board mps2-an386] [--variant dtls-psk-ccm8]
//                [--count 200] [--seed certcost] [--out DIR]`
// Consecutive DTLS 1.2 handshakes on one board and one peer, heap and stack
// peak per handshake, growth reported (harness/soak/soak.ts). Writes
// soak.json and soak.md; exits 1 when a handshake failed, leaked or the
// peaks grew.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { lockOutputDir, outputDir } from '../core/out-dir.js';
import { ROOT } from '../core/paths.js';
import { didYouMean } from '../core/suggest.js';
import { boards } from '../catalog/boards.js';
import { writeAtomic } from '../results/write.js';
import { HANDSHAKE_VARIANTS } from '../ops/dtls/variants.js';
import { LIBRARIES } from '../ops/dtls/libraries.js';
import { soak, type SoakSummary } from '../soak/soak.js';

export const SOAK_USAGE = `  certcost soak [--library mbedtls] [--board mps2-an386] [--variant dtls-psk-ccm8] [--count 200] [--seed certcost] [--out DIR]
                                             consecutive handshakes on one board and peer: heap/stack per handshake, growth`;

export function soakMarkdown(s: SoakSummary): string {
  const t = (name: string, x: SoakSummary['heap'], unit: string) => `| ${name} | ${x.first} | ${x.last} | ${x.min} | ${x.max} | ${x.firstMedian} | ${x.lastMedian} | ${x.slope.toFixed(3)} ${unit}/handshake |`;
  const rows = s.handshakes.map((h) => `| ${h.n} | ${h.ok ? 'ok' : 'FAILED'} | ${h.instructions ?? '—'} | ${h.heapBytes ?? '—'} | ${h.stackBytes ?? '—'} | ${h.leaked ? 'yes' : 'no'} | ${h.wallMs} | ${h.problem ?? ''} |`);
  return [
    `# Soak: ${s.count} consecutive handshakes`,
    '',
    `${s.library} \`${s.variant}\` on ${s.board} against ${s.peer}, one boot and one peer process for all of them (${s.seconds.toFixed(0)} s).`,
    '',
    `**${s.steady ? 'Steady' : 'Not steady'}**: ${s.verdict}. ${s.ok} ok, ${s.failed} failed, ${s.leaks} leaked, ${s.reboots} reboot(s).`,
    '',
    '| figure | first | last | min | max | median of first tenth | median of last tenth | trend |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    t('heap peak, B', s.heap, 'B'),
    t('stack peak, B', s.stack, 'B'),
    t('instructions', s.instructions, 'instructions'),
    '',
    'Heap peak: the most heap the handshake had in use above what was in use when it started (the core\'s malloc wrapper); a leak is heap still in use when it returned. Stack peak: the painted stack\'s high-water mark. Instructions vary with the peer\'s randomness only.',
    '',
    '| # | status | instructions | heap B | stack B | leaked | wall ms | problem |',
    '|---:|---|---:|---:|---:|---|---:|---|',
    ...rows,
    '',
  ].join('\n');
}

export async function cmdSoak(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      library: { type: 'string', default: 'mbedtls' }, board: { type: 'string', default: 'mps2-an386' }, variant: { type: 'string', default: 'dtls-psk-ccm8' },
      count: { type: 'string', default: '200' }, seed: { type: 'string', default: 'certcost' }, out: { type: 'string' },
    },
  });
  const board = boards().get(values.board!);
  if (!board) throw new UserError(`soak: --board: unknown board '${values.board}'${didYouMean(values.board!, [...boards().keys()])}`);
  if (!LIBRARIES[values.library!]) throw new UserError(`soak: --library: '${values.library}' has no DTLS client here (known: ${Object.keys(LIBRARIES).join(', ')})`);
  const twelve = HANDSHAKE_VARIANTS.filter((v) => !v.dtls13 && !v.noCookie && v.server !== 'rpk');
  const variant = twelve.find((v) => v.id === values.variant);
  if (!variant) throw new UserError(`soak: --variant: '${values.variant}' is not a DTLS 1.2 handshake the soak runs${didYouMean(values.variant!, twelve.map((v) => v.id))} (known: ${twelve.map((v) => v.id).join(', ')})`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new UserError(`soak: --count must be a whole number from 1 to 100000 (got '${values.count}')`);
  const out = outputDir(values.out ?? join(ROOT, 'results', 'soak'));
  const release = lockOutputDir(out, `certcost soak ${argv.join(' ')}`);
  try {
    const s = await soak({ board, library: values.library!, variant, count, seed: values.seed!, log: (m) => console.error(`  soak ${m}`) });
    writeAtomic(join(out, 'soak.json'), JSON.stringify(s, null, 2) + '\n');
    writeAtomic(join(out, 'soak.md'), soakMarkdown(s));
    console.log(soakMarkdown(s).split('\n').slice(0, 12).join('\n'));
    console.log(`\nper handshake: ${join(out, 'soak.md')} and soak.json`);
    return s.steady ? 0 : 1;
  } finally {
    release();
  }
}
