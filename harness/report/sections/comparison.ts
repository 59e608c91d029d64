// Protocol comparison: every measured handshake of the run (DTLS 1.2, DTLS
// 1.3, EDHOC, whatever records carry `handshake`) in one table, side by side:
// bytes, messages, datagrams, round trips, device instructions and ms,
// flash, peak RAM, the device's CPU energy, its radio energy per link
// profile and the two summed (energy.ts says what the sum assumes); beside it
// the figures published on paper (data/published-handshake-sizes.yaml, the
// IETF draft comparing CoAP security protocols) with the measured op each
// is compared with. Driven by the records alone.
import { loadPublished, publishedFor } from '../../edhoc/published.js';
import { libraryLabel } from '../../record/key.js';
import type { ResultRecord } from '../../record/schema.js';
import { section, type Cell, type Section } from '../document.js';
import { flightsText } from './handshakes.js';
import { msCell } from './cycles.js';
import { energyNote, uj } from './energy.js';

/** The handshake protocol of a record: its own field, or what its op id says. */
export function protocolOf(r: ResultRecord): string {
  if (r.handshake?.protocol) return r.handshake.protocol;
  if (r.op.startsWith('edhoc-')) return 'EDHOC';
  if (r.op.startsWith('dtls-v13-')) return 'DTLS 1.3';
  if (r.op.startsWith('dtls-')) return 'DTLS 1.2';
  return '—';
}

const PROTOCOL_ORDER = ['EDHOC', 'DTLS 1.3', 'DTLS 1.2'];
const rank = (p: string) => (PROTOCOL_ORDER.includes(p) ? PROTOCOL_ORDER.indexOf(p) : PROTOCOL_ORDER.length);

/** Peak RAM of a measured op: static (.data + .bss) + stack peak + heap peak. */
export const peakRam = (r: ResultRecord) => (r.ramBytes === null || r.stackBytes === null || r.heapBytes === null ? null : r.ramBytes + r.stackBytes + r.heapBytes);
/** The same with only the static RAM the library adds over the empty image (certcost's own link buffers left out). */
export const libraryRam = (r: ResultRecord) => (r.marginalRamBytes === undefined || r.stackBytes === null || r.heapBytes === null ? null : r.marginalRamBytes + r.stackBytes + r.heapBytes);

export function comparisonSections(records: ResultRecord[]): Section[] {
  // Measured handshakes that completed: agreeing with the model (ok), or not (mismatch, said in the last column);
  // and the what-ifs (modeled on a measured handshake: bytes only, nothing of them ran).
  const rows = records.filter((r) => r.handshake && (r.modeled ? r.status === 'ok' : r.status === 'ok' || r.status === 'mismatch'));
  if (!rows.length) return [];
  const boards = [...new Set(rows.map((r) => r.board))];
  rows.sort((a, b) => boards.indexOf(a.board) - boards.indexOf(b.board) || rank(protocolOf(a)) - rank(protocolOf(b))
    || (a.handshake!.bytesC2S + a.handshake!.bytesS2C) - (b.handshake!.bytesC2S + b.handshake!.bytesS2C));
  const profiles = [...new Map(rows.flatMap((r) => (r.onAir ?? []).map((c) => [c.profile, c.name] as const))).keys()];
  // Totals only when some handshake has a CPU energy: otherwise every one would be empty.
  const totals = rows.some((r) => r.cpuEnergyUj !== undefined) ? profiles : [];
  const radio = (r: ResultRecord, p: string) => r.onAir?.find((x) => x.profile === p)?.energyUj;
  const published = loadPublished();
  const measured = section('protocol-comparison', 'Protocol comparison', {
    text: [
      'Every handshake of this run that completed, side by side (check: `ok`, or why the record is a mismatch), and the what-ifs (`modeled`: the bytes of a measured handshake changed as the what-if says, by the byte model; nothing of them ran, so no device figures). Bytes: the UDP payloads of the counted handshake (DTLS records; EDHOC messages, sent as raw UDP without CoAP), → device to peer, ← back. Messages: flights (a DTLS flight of records, an EDHOC message); round trips: flights ÷ 2. Instructions and ms: the device\'s own work, waits for the peer excluded (ms: the cycle model for the MCU profile named, when the scenario asks for `cycles:`). Flash: the image; lib flash: what the library adds over the empty image on the same board. RAM: static RAM + stack peak + heap peak of the image and op; lib RAM: the same with only the static RAM the library adds over the empty image (certcost\'s link buffers, 4 × LINK_MAX, left out). CPU µJ: the MCU profile\'s run current per MHz × its clock × its supply × ms (data/mcu-profiles.yaml `power:`), i.e. the core assumed to draw its datasheet run current for the whole of the handshake\'s ms (so the ms range in brackets, where shown, applies to it alike), flights back to back with no sleep between them; the waits for the peer are not in ms, because the device sleeps while it waits (its sleep current is not counted). Radio µJ: the device radio for those datagrams on each link profile (data/link-profiles.yaml; no ramp-up, backoff or idle listening). µJ and a link profile: radio + CPU, one handshake\'s device energy on that link. Draft: the total the IETF comparison publishes for the same (=) or the nearest (≈) handshake, below.',
      ...energyNote(rows),
    ],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'protocol' }, { label: 'handshake' }, { label: '→ B', numeric: true }, { label: '← B', numeric: true },
        { label: 'total B', numeric: true }, { label: 'messages B' }, { label: 'messages', numeric: true }, { label: 'datagrams', numeric: true }, { label: 'round trips', numeric: true },
        { label: 'instructions', numeric: true }, { label: 'ms', numeric: true }, { label: 'CPU µJ', numeric: true }, { label: 'flash B', numeric: true }, { label: 'lib flash B', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'lib RAM B', numeric: true },
        { label: 'draft B' }, ...profiles.map((p) => ({ label: `radio µJ ${p}`, numeric: true })), ...totals.map((p) => ({ label: `µJ ${p}`, numeric: true })), { label: 'check' }],
      rows: rows.map((r): Cell[] => {
        const h = r.handshake!;
        const pub = publishedFor(r.op, published);
        const draft: Cell = pub ? `${pub.match === 'same' ? '=' : '≈'} ${pub.total.toLocaleString('en-US')}` : null;
        const ms: Cell = r.ms === undefined ? null : `${r.msBand ? msCell(r) : r.ms.toLocaleString('en-US', { maximumFractionDigits: 1 })} (${r.cycleProfile})`;
        return [r.board, libraryLabel(r), protocolOf(r), r.modeled ? `${r.op} (modeled)` : r.op, h.bytesC2S, h.bytesS2C, h.bytesC2S + h.bytesS2C, flightsText(h.flights), h.flights.length,
          h.datagramsC2S + h.datagramsS2C, h.flights.length / 2, r.instructions, ms, uj(r.cpuEnergyUj), r.flashBytes, r.marginalFlashBytes ?? null, peakRam(r), libraryRam(r), draft,
          ...profiles.map((p) => uj(radio(r, p))),
          // A total needs both halves: no CPU figure, no total (the text says why).
          ...totals.map((p) => (r.cpuEnergyUj === undefined || radio(r, p) === undefined ? null : uj(r.cpuEnergyUj + radio(r, p)!))),
          r.modeled ? { text: h.whatIf ? `what-if on ${h.whatIf.base} (${h.whatIf.delta >= 0 ? '+' : ''}${h.whatIf.delta} B)` : 'modeled', tone: 'muted' as const }
            : r.status === 'ok' ? 'ok' : { text: `${r.status}: ${(r.reason ?? '').slice(0, 160)}`, tone: 'bad' as const }];
      }),
    }],
  });
  const src = published.source;
  const draft = section('protocol-comparison-draft', 'Published on paper', {
    level: 3,
    text: [
      `${src.title} (${src.id}), ${src.where}. Its assumptions: ${src.assumptions}. Figures are bytes per flight as the draft gives them; "measured as" names this run's ops compared with each row (= under the same assumptions, ≈ the nearest measured handshake, with how it differs).`,
    ],
    tables: [{
      columns: [{ label: 'handshake (draft)' }, { label: 'figure' }, { label: 'flights B' }, { label: 'total B', numeric: true }, { label: 'measured as' }, { label: 'measured total B' }, { label: 'how the measured one differs' }],
      rows: published.rows.map((p): Cell[] => {
        const got = p.ops.map((op) => {
          const r = rows.find((x) => x.op === op);
          return r ? `${op} ${(r.handshake!.bytesC2S + r.handshake!.bytesS2C).toLocaleString('en-US')}` : null;
        }).filter((x): x is string => !!x);
        const asked = records.filter((x) => p.ops.includes(x.op) && x.status === 'unsupported');
        const measuredAs = p.ops.length ? `${p.match === 'same' ? '=' : '≈'} ${p.ops.join(', ')}` : '—';
        const total = got.length ? got.join('; ') : asked.length ? { text: 'unsupported', tone: 'muted' as const } : null;
        return [p.label, p.figure, p.flights.join(' + '), p.total, measuredAs, total, p.differs ?? null];
      }),
    }],
  });
  return [measured, draft];
}
