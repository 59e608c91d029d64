// Pure parts of the host fuzzer and the soak: the host runner's input and
// context formats, and the soak's growth figures.
import { describe, expect, it } from 'vitest';
import { decodeDatagrams, encodeDatagrams, TARGETS } from '../../harness/fuzz/targets.js';
import { contextBytes, slotOf } from '../../harness/fuzz/libfuzzer.js';
import { trend } from '../../harness/soak/soak.js';
import { cflagRefusal } from '../../harness/scenario/cflags.js';

describe('host fuzzer formats (fuzz/host/runner.c)', () => {
  it('datagram sequences round-trip, and a short last datagram takes what is left', () => {
    const list = [Uint8Array.of(1, 2, 3), new Uint8Array(0), Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)];
    const enc = encodeDatagrams(list);
    expect(enc.length).toBe(3 * 2 + 3 + 300);
    expect(decodeDatagrams(enc).map((d) => Buffer.from(d).toString('hex'))).toEqual(list.map((d) => Buffer.from(d).toString('hex')));
    expect(decodeDatagrams(Uint8Array.of(0, 10, 7, 7)).map((d) => [...d])).toEqual([[7, 7]]);
    expect(decodeDatagrams(Uint8Array.of(0))).toEqual([]);
  });

  it('the context file has the layout the runner reads', () => {
    const c = contextBytes({ op: 'x509-parse', inputs: [Uint8Array.of(9, 9)], slot: 0, rngSeed: Uint8Array.of(1, 2), unixTime: 0x0102030405 });
    expect([...c.subarray(0, 5)]).toEqual([...Buffer.from('CCFZ'), 1]);
    expect(c[5]).toBe(10);
    expect(Buffer.from(c.subarray(6, 16)).toString()).toBe('x509-parse');
    expect([...c.subarray(16, 21)]).toEqual([1, 0, 2, 1, 2]); // nin, slot, seed length, seed
    expect([...c.subarray(21, 29)]).toEqual([5, 4, 3, 2, 1, 0, 0, 0]);
    expect([...c.subarray(29)]).toEqual([2, 0, 0, 0, 9, 9]);
    expect(contextBytes({ op: 'dtls-client', inputs: [], slot: 'network', rngSeed: new Uint8Array(), unixTime: 0 })[6 + 11 + 1]).toBe(0xff);
  });

  it('finds the fuzzed input among a target\'s inputs', () => {
    expect(slotOf(TARGETS.find((t) => t.id === 'x509')!).slot).toBe(0);
    const crl = slotOf(TARGETS.find((t) => t.id === 'crl')!);
    expect(crl.slot).toBe(3);
    expect(crl.inputs[crl.slot]!.length).toBe(0);
  });
});

describe('soak growth figures', () => {
  it('flat, growing and noisy series', () => {
    expect(trend(Array(200).fill(8502))).toMatchObject({ min: 8502, max: 8502, firstMedian: 8502, lastMedian: 8502, slope: 0 });
    const grow = trend(Array.from({ length: 200 }, (_, i) => 1000 + 16 * i));
    expect(grow.slope).toBeCloseTo(16);
    expect(grow.lastMedian).toBeGreaterThan(grow.firstMedian);
    expect(trend([]).max).toBe(0);
  });
});

describe('build flags', () => {
  it('the flags the fuzz targets and DTLS 1.3 images use are allowed for scenarios too', () => {
    for (const f of ['-DCERTCOST_X509', '-DCERTCOST_DTLS', '-DCERTCOST_DTLS13', '-DCERTCOST_HEAP_CANARY']) expect(cflagRefusal(f)).toBeUndefined();
  });
});
