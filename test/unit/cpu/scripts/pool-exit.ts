/**
 * Subprocess for thread-pool.test.ts: runs a parallel matmul, then either just returns ('idle':
 * the process must exit although the workers exist) or calls dt.shutdown() ('shutdown'), and
 * prints the number of workers. A process that hangs fails the test by its timeout.
 */
import * as dt from '../../../../src/index.ts';
import { poolSize } from '../../../../src/kernels/cpu/thread-pool.ts';

await dt.setBackend('cpu');
const a = dt.ones([300, 300]);
dt.matmul(a, a).dispose();
const before = poolSize();
if (process.argv[2] === 'shutdown') {
  await dt.shutdown();
  process.stdout.write(`workers=${before} after=${poolSize()}\n`);
} else {
  process.stdout.write(`workers=${before}\n`);
}
