// The firmware core checks the input shape of every op whose layout the
// contract fixes (firmware/core/shapes.c) before the library's adapter
// runs: a wrong input length or count is CC_ERR_ARGS with one empty,
// balanced measurement bracket, whatever the library, and the device
// carries on with the next op. What only the library can judge (here,
// micro-ecc's 04 prefix) is still the adapter's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boards } from '../../harness/boards.js';
import { buildImage } from '../../harness/build/firmware.js';
import { boot } from '../../harness/run/qemu.js';
import type { Device, OpOutcome } from '../../harness/run/device.js';
import { ecdsaVerify } from '../../harness/ops/ecdsa-verify.js';
import { CC_OK } from '../../harness/ops/types.js';

const CC_ERR_ARGS = -1000;
const CC_ERR_UNSUPPORTED = -1003;
const BOARD = 'mps2-an386';
const LIBS = ['mbedtls', 'micro-ecc', 'p256-m4'] as const;

// A valid (pub, hash, sig) and its pieces cut to the wrong length.
const [valid] = ecdsaVerify.vectors('shapes-test', 1);
const [pub, hash, sig] = valid!.inputs as [Uint8Array, Uint8Array, Uint8Array];

function expectRefused(o: OpOutcome, status = CC_ERR_ARGS) {
  expect(o.result.status).toBe(status);
  expect(o.result.balanced).toBe(true); // one begin, one end: the harness sees a bracket
  expect(o.count).toBeDefined();
  expect(o.extraCounts).toBe(0);
  expect(o.count!.instructions).toBeLessThan(50); // empty: nothing of the library's ran
  expect(o.result.outputs).toHaveLength(0);
  expect(o.result.leaked).toBe(false);
}

describe.each(LIBS)('core shape check, %s image', (library) => {
  let dev: Device;
  beforeAll(async () => {
    const image = buildImage({ board: BOARD, library, opt: 'Os', cflags: [] });
    dev = await boot({ board: boards().get(BOARD)!, elfPath: image.elfPath });
    expect((await dev.op('seed-rng', [new Uint8Array(16)], 10_000)).result.status).toBe(CC_OK);
  });
  afterAll(async () => {
    await dev?.exit();
  });

  it('refuses ecdsa-verify with a wrong input length: CC_ERR_ARGS, balanced bracket', async () => {
    expectRefused(await dev.op('ecdsa-verify', [pub.subarray(0, 64), hash, sig], 10_000));
    expectRefused(await dev.op('ecdsa-verify', [pub, hash.subarray(0, 31), sig], 10_000));
    expectRefused(await dev.op('ecdsa-verify', [pub, hash, Uint8Array.of(...sig, 0)], 10_000));
  });

  it('refuses a wrong number of inputs', async () => {
    expectRefused(await dev.op('ecdsa-verify', [pub, hash], 10_000));
    expectRefused(await dev.op('ecdsa-keygen', [hash], 10_000));
    expectRefused(await dev.op('ecdh', [hash], 10_000));
  });

  it('still runs the op when the shape is right', async () => {
    const o = await dev.op('ecdsa-verify', [pub, hash, sig], 60_000);
    expect(o.result.status).toBe(CC_OK);
    expect(o.result.balanced).toBe(true);
    expect(o.count!.instructions).toBeGreaterThan(100_000);
  });
});

describe('what the core does not decide', () => {
  it('an op the image lacks is unsupported whatever its shape; a library-only check stays in the adapter', async () => {
    const image = buildImage({ board: BOARD, library: 'micro-ecc', opt: 'Os', cflags: [] });
    const dev = await boot({ board: boards().get(BOARD)!, elfPath: image.elfPath });
    try {
      expect((await dev.op('sha256-64', [new Uint8Array(3)], 10_000)).result.status).toBe(CC_ERR_UNSUPPORTED);
      // Right length, not 04 || X || Y: micro-ecc's own answer (UECC_ERR_BAD_POINT), still with a bracket.
      const bad = Uint8Array.from(pub);
      bad[0] = 0x05;
      expectRefused(await dev.op('ecdsa-verify', [bad, hash, sig], 10_000), -2);
    } finally {
      await dev.exit();
    }
  });
});
