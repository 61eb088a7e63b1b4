/**
 * The consumer workload (consumer-train.mjs) run against the repository's source instead of the packed package:
 * scripts/consumer-test.mjs compares its digest with the installed package's.
 * Usage: node --import tsx test/package/train-from-source.ts cpu|webgpu   (prints one JSON line)
 */
import * as dt from '../../src/index.ts';
import { train } from './consumer-train.mjs';

const backend = process.argv[2] === 'webgpu' ? 'webgpu' : 'cpu';
console.log(JSON.stringify(await train(dt, backend)));
await dt.shutdown();
