import { describe, expect, it } from 'vitest';
import { frames802154, framesBle, onAir } from '../../harness/links/onair.js';
import { loadLinkProfiles, parseLinkProfiles, type LinkProfile } from '../../harness/links/profiles.js';

const profiles = loadLinkProfiles();
const byId = (id: string): LinkProfile => profiles.find((p) => p.id === id)!;
const params = <K extends LinkProfile['kind']>(id: string, _k: K) => byId(id).params as Extract<LinkProfile, { kind: K }>['params'];

describe('link profiles file', () => {
  it('loads every profile with a source on every parameter', () => {
    expect(profiles.map((p) => p.id)).toEqual(['ieee802154-6lowpan', 'ble-1m-27', 'ble-1m-251', 'lte-m', 'nb-iot']);
    for (const p of profiles) for (const [k, v] of Object.entries(p.params)) expect(v.source.length, `${p.id}.${k}`).toBeGreaterThan(8);
    // YAML merge keys: the 251 profile overrides only what differs.
    expect(params('ble-1m-251', 'ble').ll_max_payload_bytes.value).toBe(251);
    expect(params('ble-1m-251', 'ble').mic_bytes.value).toBe(4);
  });

  it('refuses a parameter without a source', () => {
    const bad = `profiles:\n  - id: x\n    kind: cellular\n    name: x\n    params:\n      ip_udp_header_bytes: { value: 28 }\n`;
    expect(() => parseLinkProfiles(bad)).toThrow();
  });
});

describe('IEEE 802.15.4 + 6LoWPAN (127 B frames, 9 B MAC header, 2 B FCS, 17 B IPHC+UDP)', () => {
  const p = params('ieee802154-6lowpan', 'ieee802154');
  it('one frame while header + payload fit in 116 B', () => {
    expect(frames802154(p, 99).frames).toEqual([6 + 9 + 17 + 99 + 2]); // exactly 127 B PSDU
  });
  it('fragments with FRAG1 (4 B) and FRAGN (5 B), payload shares in multiples of 8', () => {
    // 100 B: first share floor((116-4-17)/8)*8 = 88, then 12.
    expect(frames802154(p, 100).frames).toEqual([6 + 9 + (4 + 17 + 88) + 2, 6 + 9 + (5 + 12) + 2]);
    // 300 B: 88, then floor(111/8)*8 = 104, 104, 4.
    expect(frames802154(p, 300).frames).toEqual([6 + 9 + (4 + 17 + 88) + 2, 6 + 9 + (5 + 104) + 2, 6 + 9 + (5 + 104) + 2, 6 + 9 + (5 + 4) + 2]);
    expect(frames802154(p, 300).acks).toEqual([11, 11, 11, 11]);
  });
  it('airtime, energy: 50 B up = one 84 B frame (2688 us) + one 11 B ACK (352 us)', () => {
    const c = onAir([{ dir: 'c2s', size: 50 }], byId('ieee802154-6lowpan'));
    expect(c.up).toMatchObject({ frames: 1, ackFrames: 1, bytes: 84, airtimeUs: 2688 + 352 });
    expect(c.energyUj.tx).toBeCloseTo((6.4 * 3 * 2688) / 1000, 9);
    expect(c.energyUj.rx).toBeCloseTo((6.53 * 3 * 352) / 1000, 9);
    expect(c.money).toBeUndefined();
    expect(c.status).toBe('modeled');
  });
  it('downlink: the device receives the frame and transmits the ACK', () => {
    const c = onAir([{ dir: 's2c', size: 50 }], byId('ieee802154-6lowpan'));
    expect(c.energyUj.rx).toBeCloseTo((6.53 * 3 * 2688) / 1000, 9);
    expect(c.energyUj.tx).toBeCloseTo((6.4 * 3 * 352) / 1000, 9);
  });
});

describe('BLE IPSP', () => {
  it('27 B LL payload: 67 B SDU -> K-frames of 2+21, 23, 23 (+4 header) -> three 41 B LL PDUs', () => {
    expect(framesBle(params('ble-1m-27', 'ble'), 50)).toEqual({ frames: [41, 41, 41], acks: [10, 10, 10] });
  });
  it('251 B LL payload: one K-frame of 4+2+67 in one LL PDU', () => {
    expect(framesBle(params('ble-1m-251', 'ble'), 50).frames).toEqual([10 + 73 + 4]);
    // 300 B: SDU 317 -> K-frames 4+2+245, 4+72 -> LL PDUs 251, 76.
    expect(framesBle(params('ble-1m-251', 'ble'), 300).frames).toEqual([10 + 251 + 4, 10 + 76 + 4]);
  });
  it('1 Mbit/s: 8 us per byte', () => {
    const c = onAir([{ dir: 'c2s', size: 50 }], byId('ble-1m-251'));
    expect(c.up.airtimeUs).toBe((87 + 10) * 8);
  });
});

describe('cellular', () => {
  it('LTE-M: 28 B IP/UDP + 6 B PDCP/RLC/MAC per packet, peak-rate airtime, example money on IP bytes', () => {
    const c = onAir(
      [
        { dir: 'c2s', size: 50 },
        { dir: 's2c', size: 100 },
      ],
      byId('lte-m'),
    );
    expect(c.up).toMatchObject({ frames: 1, bytes: 84, airtimeUs: (84 * 8e6) / 375000 });
    expect(c.down).toMatchObject({ frames: 1, bytes: 134, airtimeUs: (134 * 8e6) / 300000 });
    expect(c.energyUj.total).toBeCloseTo(105 * 3.7 * ((84 * 8) / 375000 + (134 * 8) / 300000) * 1000, 6);
    expect(c.money).toMatchObject({ billedBytes: 78 + 128, pricePerMB: 0.5, currency: 'EUR' });
    expect(c.money!.amount).toBeCloseTo((206 / 1e6) * 0.5, 12);
    expect(c.money!.label).toMatch(/example/i);
  });
});
