/**
 * Prints `digest <hex>`: augmentDigest() of test/unit/nn/augment-fixture.ts on the CPU backend, in a fresh process
 * (random-image-layers.test.ts compares it with its own).
 */
import * as dt from '../../../../src/index.ts';
import { augmentDigest } from '../augment-fixture.ts';

await dt.setBackend('cpu');
console.log(`digest ${await augmentDigest()}`);
await dt.shutdown();
