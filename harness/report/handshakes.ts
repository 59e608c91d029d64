// DTLS handshake sections of results.md: one table of every handshake
// record (bytes per direction and flight, datagrams, device cost, model
// check) and one on-air table per link profile. Only for records that
// carry `handshake` (harness/ops/dtls.ts).
import type { ResultRecord } from '../record/schema.js';

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function status(r: ResultRecord): string {
  if (r.status === 'ok') return r.modeled ? 'ok (modeled)' : 'ok';
  return `${r.status}: ${esc((r.reason ?? '').slice(0, 120))}`;
}

function instructions(r: ResultRecord): string {
  if (r.modeled) return 'modeled';
  if (r.instructions === null) return '—';
  const range = r.instructionsMin !== null && r.instructionsMax !== null && r.instructionsMin !== r.instructionsMax ? ` (${num(r.instructionsMin)}–${num(r.instructionsMax)})` : '';
  return `${num(r.instructions)}${range}`;
}

/** A handshake's flights in order as byte counts: → device to server, ← server to device. */
export const flightsText = (flights: { dir: string; bytes: number }[]) => flights.map((f) => `${f.dir === 'c2s' ? '→' : '←'}${f.bytes}`).join(' ');

/** Records with on-air costs, the first of each library and variant: the datagrams do not depend on the board. */
export function firstPerVariant<T extends ResultRecord>(records: T[]): T[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const k = `${r.library}/${r.op}`;
    if (!r.onAir?.length || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Cycles and ms of the cycle model, with the MCU profile they are for. */
function cycles(r: ResultRecord): [string, string] {
  if (r.cycles === undefined || r.cycles === null) return ['—', '—'];
  return [`${num(r.cycles)} (${r.cycleProfile})`, num(r.ms)];
}

export function handshakeSection(records: ResultRecord[]): string[] {
  const rows = records.filter((r) => r.op.startsWith('dtls-'));
  if (!rows.some((r) => r.handshake)) return [];
  const out = [
    '## DTLS handshakes',
    '',
    'Bytes are DTLS payload (UDP payload) of the counted handshake\'s flights; flights in order, → device to server, ← server to device. Instructions: the whole handshake, waits for the peer excluded, median (min–max) over the runs. Cycles and ms: the cycle model (harness/cycles) on the same handshakes, for the MCU profile named, when the scenario asks for `cycles:`. Model: the byte model (harness/dtls/model.ts; dtls-v13-*: harness/dtls/dtls13.ts) against the capture, to the byte. Peer: OpenSSL s_server unless the variant notes say otherwise (raw public keys: tinydtls\' example server; DTLS 1.3: wolfSSL\'s example server, both built for the host). `modeled` rows put nothing on a wire.',
    '',
    '| board | library | variant | c2s B | s2c B | total B | flights B | datagrams c2s/s2c | instructions | cycles | ms | stack B | heap B | flash B | model | status |',
    '|---|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const h = r.handshake;
    if (!h) {
      out.push(`| ${r.board} | ${r.library} | ${r.op} | — | — | — | — | — | — | — | — | — | — | ${num(r.flashBytes)} | — | ${status(r)} |`);
      continue;
    }
    const flights = flightsText(h.flights);
    const model = r.modeled ? `base ${h.whatIf ? `${h.whatIf.base.replace(/^dtls-/, '')} ${h.whatIf.delta >= 0 ? '+' : ''}${h.whatIf.delta} B` : ''}` : h.modelCheck;
    out.push(
      `| ${r.board} | ${r.library} | ${r.op} | ${num(h.bytesC2S)} | ${num(h.bytesS2C)} | ${num(h.bytesC2S + h.bytesS2C)} | ${flights} | ${h.datagramsC2S}/${h.datagramsS2C} | ${instructions(r)} | ${cycles(r).join(' | ')} | ${num(r.stackBytes)} | ${num(r.heapBytes)} | ${num(r.flashBytes)} | ${model} | ${status(r)} |`,
    );
  }
  out.push('', ...onAirSection(rows));
  return out;
}

/** One table per link profile; the datagrams do not depend on the board, so each library/variant appears once. */
export function onAirSection(records: ResultRecord[]): string[] {
  const picked = firstPerVariant(records);
  if (!picked.length) return [];
  const profiles = [...new Map(picked.flatMap((r) => r.onAir!.map((c) => [c.profile, c.name] as const))).entries()];
  const out = ['## On the air', '', 'The handshake\'s datagrams per link profile (data/link-profiles.yaml; energy is the device radio only, no ramp-up, backoff or idle listening; cellular money is an example price). Modeled from the measured datagram sizes; for ECDHE variants from the median run on the first board listed.', ''];
  for (const [id, name] of profiles) {
    out.push(`### ${name} (\`${id}\`)`, '', '| library | variant | board | frames up/down | ack frames | bytes on air | airtime ms | device radio µJ | cost |', '|---|---|---|---|---:|---:|---:|---:|---|');
    for (const r of picked) {
      const c = r.onAir!.find((x) => x.profile === id);
      if (!c) continue;
      const money = c.money ? `${c.money.amount.toFixed(6)} ${c.money.currency} (example)` : '—';
      out.push(`| ${r.library} | ${r.op}${r.modeled ? ' (modeled)' : ''} | ${r.board} | ${c.framesUp}/${c.framesDown} | ${c.ackFrames} | ${num(c.bytes)} | ${c.airtimeMs.toFixed(2)} | ${c.energyUj.toFixed(1)} | ${money} |`);
    }
    out.push('');
  }
  return out;
}
