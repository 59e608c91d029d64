// The datagram path a DTLS client uses: device -> link -> peer -> link ->
// device, with the instruction count paused while the device waits.
import { describe, expect, it } from 'vitest';
import { boards } from '../../harness/catalog/boards.js';
import { buildImage } from '../../harness/build/firmware.js';
import { boot } from '../../harness/device/qemu.js';
import type { NetPeer } from '../../harness/device/device.js';

describe('device datagram transport', () => {
  it('relays a datagram both ways and does not count the wait', async () => {
    const image = buildImage({ board: 'mps2-an385', library: 'none', opt: 'Os', cflags: [] });
    const dev = await boot({ board: boards().get('mps2-an385')!, elfPath: image.elfPath });
    try {
      const sent: Uint8Array[] = [];
      const mkPeer = (delayMs: number): NetPeer => ({
        send: (d) => sent.push(d),
        recv: (t) => new Promise((res) => setTimeout(() => res(t >= delayMs ? Uint8Array.from(sent.at(-1)!).reverse() : null), delayMs)),
      });
      const msg = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
      const fast = await dev.op('selftest-net-echo', [msg], 10_000, mkPeer(1));
      const slow = await dev.op('selftest-net-echo', [msg], 10_000, mkPeer(400));
      expect(Buffer.from(sent[0]!)).toEqual(Buffer.from(msg));
      expect(Buffer.from(fast.result.outputs[0]!)).toEqual(Buffer.from(msg).reverse());
      expect(fast.result.balanced).toBe(true);
      // The device polled the UART for 400 ms in the slow case; none of it counts.
      expect(slow.count!.instructions).toBe(fast.count!.instructions);
      expect(fast.count!.instructions).toBeLessThan(2000);

      const none: NetPeer = { send: () => {}, recv: async () => null };
      const timedOut = await dev.op('selftest-net-echo', [msg], 10_000, none);
      expect(timedOut.result.outputs[0]!.length).toBe(0);
    } finally {
      await dev.exit();
    }
  });
});
