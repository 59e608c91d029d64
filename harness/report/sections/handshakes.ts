// Handshake sections: one table of every DTLS handshake record (bytes per
// direction and flight, datagrams, device cost, the byte model's verdict),
// one of every EDHOC exchange, and the on-air cost per link profile of both,
// with the device's CPU energy beside its radio energy when the run has it.
// Only for records that carry `handshake` (harness/ops/dtls, harness/ops/edhoc).
import type { ResultRecord } from '../../record/schema.js';
import { section, type Cell, type Section } from '../document.js';
import { libraryLabel } from '../../record/key.js';
import { msCell } from './cycles.js';
import { energyNote, uj } from './energy.js';

/** A handshake's flights in order as byte counts: → device to server, ← server to device. */
export const flightsText = (flights: { dir: string; bytes: number }[]) => flights.map((f) => `${f.dir === 'c2s' ? '→' : '←'}${f.bytes}`).join(' ');

/** Records with on-air costs, the first of each library and variant: the datagrams do not depend on the board. */
export function firstPerVariant<T extends ResultRecord>(records: T[]): T[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const k = `${libraryLabel(r)}/${r.op}`;
    if (!r.onAir?.length || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

function status(r: ResultRecord): Cell {
  if (r.status === 'ok') return r.modeled ? 'ok (modeled)' : 'ok';
  return { text: `${r.status}: ${(r.reason ?? '').replace(/\n/g, ' ').slice(0, 120)}`, tone: r.status === 'unsupported' ? 'muted' : 'bad' };
}

function instructions(r: ResultRecord): Cell {
  if (r.modeled) return 'modeled';
  if (r.instructions === null) return null;
  const range = r.instructionsMin !== null && r.instructionsMax !== null && r.instructionsMin !== r.instructionsMax ? ` (${num(r.instructionsMin)}–${num(r.instructionsMax)})` : '';
  return range ? `${num(r.instructions)}${range}` : r.instructions;
}

export function handshakeSections(records: ResultRecord[]): Section[] {
  const rows = records.filter((r) => r.op.startsWith('dtls-'));
  const edhoc = records.filter((r) => r.op.startsWith('edhoc-'));
  const out: Section[] = [];
  if (rows.some((r) => r.handshake)) out.push(dtlsSection(rows));
  if (edhoc.some((r) => r.handshake)) out.push(edhocSection(edhoc));
  return out.length ? [...out, ...onAirSections([...rows, ...edhoc])] : [];
}

function dtlsSection(rows: ResultRecord[]): Section {
  return section('handshakes', 'DTLS handshakes', {
    text: ['Bytes are DTLS payload (UDP payload) of the counted handshake\'s flights; flights in order, → device to server, ← server to device. Instructions: the whole handshake, waits for the peer excluded, median (min–max) over the runs. Cycles and ms: the cycle model (harness/cycles) on the same handshakes, for the MCU profile named, when the scenario asks for `cycles:`. Model: the byte model (harness/dtls/model.ts; dtls-v13-*: harness/dtls/dtls13-model.ts) against the capture, to the byte. Peer: the independent server the device talked to (OpenSSL s_server; raw public keys: tinydtls\' example server; DTLS 1.3: wolfSSL\'s example server, both built for the host). `modeled` rows put nothing on a wire.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'variant' }, { label: 'c2s B', numeric: true }, { label: 's2c B', numeric: true }, { label: 'total B', numeric: true },
        { label: 'flights B' }, { label: 'datagrams c2s/s2c' }, { label: 'instructions', numeric: true }, { label: 'cycles', numeric: true }, { label: 'ms (silicon range)', numeric: true },
        { label: 'stack B', numeric: true }, { label: 'heap B', numeric: true }, { label: 'flash B', numeric: true }, { label: 'model' }, { label: 'status' }, { label: 'peer' }],
      rows: rows.map((r): Cell[] => {
        const h = r.handshake;
        if (!h) return [r.board, libraryLabel(r), r.op, null, null, null, null, null, null, null, null, null, null, r.flashBytes, null, status(r), null];
        const model: Cell = r.modeled ? `base ${h.whatIf ? `${h.whatIf.base.replace(/^dtls-/, '')} ${h.whatIf.delta >= 0 ? '+' : ''}${h.whatIf.delta} B` : ''}` : { text: h.modelCheck, tone: h.modelCheck === 'equal' ? undefined : 'bad' };
        const cycles = r.cycles === undefined || r.cycles === null ? null : `${num(r.cycles)} (${r.cycleProfile})`;
        return [r.board, libraryLabel(r), r.op, h.bytesC2S, h.bytesS2C, h.bytesC2S + h.bytesS2C, flightsText(h.flights), `${h.datagramsC2S}/${h.datagramsS2C}`,
          instructions(r), cycles, msCell(r), r.stackBytes, r.heapBytes, r.flashBytes, model, status(r), h.peer.slice(0, 80)];
      }),
    }],
  });
}

/** EDHOC exchanges (harness/ops/edhoc): one flight per message, its CBOR items in the record. */
function edhocSection(rows: ResultRecord[]): Section {
  return section('edhoc', 'EDHOC exchanges', {
    text: ['Bytes are EDHOC messages (each the payload of one UDP datagram; no CoAP), message_1 →, message_2 ←, message_3 →. Instructions: the device as initiator from drawing its ephemeral key to the exported OSCORE secret, waits for the responder excluded, median (min–max) over the exchanges. Model: every CBOR item of every message against the byte model (harness/edhoc/model.ts), after the reference (harness/edhoc/reference.ts) decrypted and recomputed the exchange; PRK_out and the OSCORE secret and salt agree on the device, in the responder and in the reference. Peer: lakers built for the host.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'variant' }, { label: '→ B', numeric: true }, { label: '← B', numeric: true }, { label: 'total B', numeric: true },
        { label: 'messages B' }, { label: 'instructions', numeric: true }, { label: 'cycles', numeric: true }, { label: 'ms', numeric: true },
        { label: 'stack B', numeric: true }, { label: 'heap B', numeric: true }, { label: 'flash B', numeric: true }, { label: 'model' }, { label: 'status' }],
      rows: rows.map((r): Cell[] => {
        const h = r.handshake;
        if (!h) return [r.board, libraryLabel(r), r.op, null, null, null, null, null, null, null, null, null, r.flashBytes, null, status(r)];
        const cycles = r.cycles === undefined || r.cycles === null ? null : `${num(r.cycles)} (${r.cycleProfile})`;
        return [r.board, libraryLabel(r), r.op, h.bytesC2S, h.bytesS2C, h.bytesC2S + h.bytesS2C, flightsText(h.flights), instructions(r), cycles, r.ms ?? null,
          r.stackBytes, r.heapBytes, r.flashBytes, { text: h.modelCheck, tone: h.modelCheck === 'equal' ? undefined : 'bad' }, status(r)];
      }),
    }],
  });
}

/** One table per link profile; the datagrams do not depend on the board, so each library/variant appears once. */
export function onAirSections(records: ResultRecord[]): Section[] {
  const picked = firstPerVariant(records);
  if (!picked.length) return [];
  const profiles = [...new Map(picked.flatMap((r) => r.onAir!.map((c) => [c.profile, c.name] as const))).entries()];
  // CPU energy is per board (its MCU profile), the radio's is not: shown for the board listed, when some record has it.
  const cpu = picked.some((r) => r.cpuEnergyUj !== undefined);
  const head = section('on-air', 'On the air', {
    text: [
      'The handshake\'s datagrams per link profile (data/link-profiles.yaml; radio energy is the device radio only, no ramp-up, backoff or idle listening; cellular money is an example price). Modeled from the measured datagram sizes; for ECDHE variants from the median run on the first board listed.',
      ...(cpu ? ['CPU µJ: the board\'s MCU profile\'s run current × clock × supply × the handshake\'s ms, as in the protocol comparison (no sleep between flights; waits for the peer excluded, the device sleeps through them); total: radio + CPU.', ...energyNote(picked)] : []),
    ],
  });
  return [head, ...profiles.map(([id, name]) => section(`on-air-${id}`, `${name} (\`${id}\`)`, {
    level: 3,
    tables: [{
      columns: [{ label: 'library' }, { label: 'variant' }, { label: 'board' }, { label: 'frames up/down' }, { label: 'ack frames', numeric: true }, { label: 'bytes on air', numeric: true },
        { label: 'airtime ms', numeric: true }, { label: 'device radio µJ', numeric: true },
        ...(cpu ? [{ label: 'CPU µJ', numeric: true }, { label: 'total µJ', numeric: true }] : []), { label: 'cost' }],
      rows: picked.flatMap((r): Cell[][] => {
        const c = r.onAir!.find((x) => x.profile === id);
        if (!c) return [];
        const money = c.money ? `${c.money.amount.toFixed(6)} ${c.money.currency} (example)` : null;
        const energy: Cell[] = cpu ? [uj(r.cpuEnergyUj), r.cpuEnergyUj === undefined ? null : uj(r.cpuEnergyUj + c.energyUj)] : [];
        return [[libraryLabel(r), `${r.op}${r.modeled ? ' (modeled)' : ''}`, r.board, `${c.framesUp}/${c.framesDown}`, c.ackFrames, c.bytes, c.airtimeMs.toFixed(2), c.energyUj.toFixed(1), ...energy, money]];
      }),
    }],
  }))];
}
