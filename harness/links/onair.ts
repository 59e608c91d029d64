// On-air cost of a list of DTLS datagrams for one link profile. The device
// is the DTLS client: c2s datagrams are its uplink (it transmits them),
// s2c its downlink. Energy is the device radio's on-air time x current x
// voltage, acknowledgement frames included; see data/link-profiles.yaml for
// what is left out.
import type { BleProfile, CellularProfile, Ieee802154Profile, LinkProfile } from './profiles.js';

/** Which way a datagram goes: device to server (up) or server to device (down). */
type Direction = 'c2s' | 's2c';

export interface DatagramSize {
  dir: Direction;
  /** UDP payload bytes (the DTLS datagram). */
  size: number;
}

export interface DirectionCost {
  datagrams: number;
  /** Link-layer frames carrying data (802.15.4 frames, BLE LL data PDUs, cellular IP packets). */
  frames: number;
  /** Acknowledgement frames sent back for them (802.15.4 ACK, BLE empty PDU). */
  ackFrames: number;
  /** DTLS payload bytes. */
  payloadBytes: number;
  /** Every byte of the data frames on the air, all headers included (ACKs not included). */
  bytes: number;
  /** Data frames plus their acknowledgements, in microseconds. */
  airtimeUs: number;
}

export interface OnAirCost {
  profile: string;
  name: string;
  up: DirectionCost;
  down: DirectionCost;
  frames: number;
  bytes: number;
  airtimeMs: number;
  /** Device radio energy in microjoules: TX of uplink frames and downlink ACKs, RX of downlink frames and uplink ACKs. */
  energyUj: { tx: number; rx: number; total: number };
  /** Metered cellular only: clearly an example price. */
  money?: { billedBytes: number; pricePerMB: number; currency: string; amount: number; label: string };
  status: 'modeled';
}

interface Framed {
  /** Air bytes of each data frame. */
  frames: number[];
  /** Air bytes of each acknowledgement frame sent the other way. */
  acks: number[];
}

/** 6LoWPAN over 802.15.4: one frame if it fits, else FRAG1 + FRAGN fragments (RFC 4944 5.3). */
export function frames802154(p: Ieee802154Profile['params'], size: number): Framed {
  const v = (k: keyof typeof p) => p[k].value;
  const room = v('max_psdu_bytes') - v('mac_header_bytes') - v('fcs_bytes'); // 6LoWPAN bytes per frame
  const hdr = v('compressed_ip_udp_bytes');
  const unit = v('fragment_unit_bytes');
  const wrap = (lowpan: number) => v('phy_overhead_bytes') + v('mac_header_bytes') + lowpan + v('fcs_bytes');
  const lowpan: number[] = [];
  if (hdr + size <= room) lowpan.push(hdr + size);
  else {
    // The uncompressed IPv6+UDP header is 48 B, a multiple of 8, so the first
    // fragment's payload share must itself be a multiple of 8.
    const first = Math.floor((room - v('frag1_bytes') - hdr) / unit) * unit;
    const next = Math.floor((room - v('fragn_bytes')) / unit) * unit;
    if (first <= 0 || next <= 0) throw new Error('802.15.4 frame too small for 6LoWPAN fragmentation');
    lowpan.push(v('frag1_bytes') + hdr + first);
    for (let left = size - first; left > 0; left -= next) lowpan.push(v('fragn_bytes') + Math.min(left, next));
  }
  const frames = lowpan.map(wrap);
  return { frames, acks: frames.map(() => v('phy_overhead_bytes') + v('ack_psdu_bytes')) };
}

/** IPSP: IPv6/6LoWPAN packet = one L2CAP SDU, cut into K-frames of <= MPS, each cut into LL data PDUs. */
export function framesBle(p: BleProfile['params'], size: number): Framed {
  const v = (k: keyof typeof p) => p[k].value;
  const sdu = v('compressed_ip_udp_bytes') + size;
  const mps = v('l2cap_mps_bytes');
  const kframes: number[] = [];
  for (let left = sdu, first = true; left > 0; first = false) {
    const take = Math.min(left, first ? mps - v('sdu_length_bytes') : mps);
    kframes.push(v('l2cap_header_bytes') + (first ? v('sdu_length_bytes') : 0) + take);
    left -= take;
  }
  const frames: number[] = [];
  for (const k of kframes) {
    for (let left = k; left > 0; left -= v('ll_max_payload_bytes')) frames.push(v('ll_overhead_bytes') + Math.min(left, v('ll_max_payload_bytes')) + v('mic_bytes'));
  }
  return { frames, acks: frames.map(() => v('empty_pdu_bytes')) };
}

export function framesCellular(p: CellularProfile['params'], size: number): Framed {
  const v = (k: keyof typeof p) => p[k].value;
  return { frames: [size + v('ip_udp_header_bytes') + v('pdcp_header_bytes') + v('rlc_header_bytes') + v('mac_subheader_bytes')], acks: [] };
}

function framer(profile: LinkProfile): (size: number) => Framed {
  switch (profile.kind) {
    case 'ieee802154':
      return (s) => frames802154(profile.params, s);
    case 'ble':
      return (s) => framesBle(profile.params, s);
    case 'cellular':
      return (s) => framesCellular(profile.params, s);
  }
}

/** Microseconds per byte in each direction (uplink = device transmits). */
function usPerByte(profile: LinkProfile): { up: number; down: number } {
  if (profile.kind === 'cellular') return { up: 8e6 / profile.params.uplink_bps.value, down: 8e6 / profile.params.downlink_bps.value };
  const r = 8e6 / profile.params.bitrate_bps.value;
  return { up: r, down: r };
}

export function onAir(datagrams: DatagramSize[], profile: LinkProfile): OnAirCost {
  const frame = framer(profile);
  const rate = usPerByte(profile);
  const side = (dir: Direction) => {
    const mine = datagrams.filter((d) => d.dir === dir);
    const framed = mine.map((d) => frame(d.size));
    const frames = framed.flatMap((f) => f.frames);
    const acks = framed.flatMap((f) => f.acks);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    const own = dir === 'c2s' ? rate.up : rate.down;
    const back = dir === 'c2s' ? rate.down : rate.up;
    return {
      cost: { datagrams: mine.length, frames: frames.length, ackFrames: acks.length, payloadBytes: sum(mine.map((d) => d.size)), bytes: sum(frames), airtimeUs: sum(frames) * own + sum(acks) * back } satisfies DirectionCost,
      dataUs: sum(frames) * own,
      ackUs: sum(acks) * back,
    };
  };
  const up = side('c2s');
  const down = side('s2c');
  const p = profile.params;
  const mW = (ma: number) => ma * p.supply_v.value; // mA x V = mW = nJ/us
  // Device transmits its uplink frames and the ACKs for downlink frames; receives the rest.
  const txUs = up.dataUs + down.ackUs;
  const rxUs = down.dataUs + up.ackUs;
  const tx = (mW(p.tx_current_ma.value) * txUs) / 1000;
  const rx = (mW(p.rx_current_ma.value) * rxUs) / 1000;
  const out: OnAirCost = {
    profile: profile.id,
    name: profile.name,
    up: up.cost,
    down: down.cost,
    frames: up.cost.frames + down.cost.frames,
    bytes: up.cost.bytes + down.cost.bytes,
    airtimeMs: (up.cost.airtimeUs + down.cost.airtimeUs) / 1000,
    energyUj: { tx, rx, total: tx + rx },
    status: 'modeled',
  };
  if (profile.kind === 'cellular') {
    const billedBytes = datagrams.reduce((a, d) => a + d.size + profile.params.ip_udp_header_bytes.value, 0);
    const price = profile.params.price_per_mb;
    out.money = { billedBytes, pricePerMB: price.value, currency: price.unit ?? '', amount: (billedBytes / 1e6) * price.value, label: `example price (${price.source})` };
  }
  return out;
}

/** A small markdown table of on-air costs, one row per profile. */
export function onAirTable(costs: OnAirCost[]): string {
  const rows = costs.map((c) =>
    [c.profile, `${c.up.frames}/${c.down.frames}`, `${c.up.ackFrames + c.down.ackFrames}`, `${c.up.bytes}/${c.down.bytes}`, c.airtimeMs.toFixed(2), c.energyUj.total.toFixed(1), c.money ? `${c.money.amount.toFixed(6)} ${c.money.currency} (example)` : '-'].join(' | '),
  );
  return ['| link | frames up/down | ack frames | bytes on air up/down | airtime ms | device radio µJ | cost |', '|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${r} |`)].join('\n');
}
