// Link profiles from data/link-profiles.yaml. Every parameter carries its
// source; the schema refuses one without, so no number enters the on-air
// figures unexplained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from '../core/paths.js';

export const LINK_PROFILES_FILE = join(ROOT, 'data', 'link-profiles.yaml');

const Param = z.strictObject({ value: z.number().nonnegative(), unit: z.string().optional(), source: z.string().min(8), note: z.string().optional() });
export type Param = z.infer<typeof Param>;

const common = { tx_current_ma: Param, rx_current_ma: Param, supply_v: Param };

const Ieee802154 = z.strictObject({
  id: z.string(),
  kind: z.literal('ieee802154'),
  name: z.string(),
  params: z.strictObject({
    bitrate_bps: Param,
    phy_overhead_bytes: Param,
    max_psdu_bytes: Param,
    mac_header_bytes: Param,
    fcs_bytes: Param,
    compressed_ip_udp_bytes: Param,
    frag1_bytes: Param,
    fragn_bytes: Param,
    fragment_unit_bytes: Param,
    ack_psdu_bytes: Param,
    ...common,
  }),
});

const Ble = z.strictObject({
  id: z.string(),
  kind: z.literal('ble'),
  name: z.string(),
  params: z.strictObject({
    bitrate_bps: Param,
    ll_overhead_bytes: Param,
    mic_bytes: Param,
    ll_max_payload_bytes: Param,
    l2cap_header_bytes: Param,
    sdu_length_bytes: Param,
    l2cap_mps_bytes: Param,
    compressed_ip_udp_bytes: Param,
    empty_pdu_bytes: Param,
    ...common,
  }),
});

const Cellular = z.strictObject({
  id: z.string(),
  kind: z.literal('cellular'),
  name: z.string(),
  params: z.strictObject({
    ip_udp_header_bytes: Param,
    pdcp_header_bytes: Param,
    rlc_header_bytes: Param,
    mac_subheader_bytes: Param,
    uplink_bps: Param,
    downlink_bps: Param,
    price_per_mb: Param,
    ...common,
  }),
});

export const LinkProfileSchema = z.discriminatedUnion('kind', [Ieee802154, Ble, Cellular]);
export type LinkProfile = z.infer<typeof LinkProfileSchema>;
export type Ieee802154Profile = z.infer<typeof Ieee802154>;
export type BleProfile = z.infer<typeof Ble>;
export type CellularProfile = z.infer<typeof Cellular>;

export function parseLinkProfiles(text: string): LinkProfile[] {
  const data = parse(text, { merge: true }) as unknown;
  const parsed = z.strictObject({ profiles: z.array(LinkProfileSchema).min(1) }).parse(data);
  const ids = parsed.profiles.map((p) => p.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`link profile '${dup}' is defined twice`);
  return parsed.profiles;
}

export function loadLinkProfiles(file = LINK_PROFILES_FILE): LinkProfile[] {
  return parseLinkProfiles(readFileSync(file, 'utf8'));
}
