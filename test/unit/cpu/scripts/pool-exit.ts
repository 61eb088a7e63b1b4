/**
 * Subprocess for thread-pool.test.ts: runs a parallel matmul, then either just returns ('idle':
 * the process must exit although the workers exist, parked on their doorbells; 'idle-loop': the
 * same after the workers went back to their event loops) or calls dt.shutdown() ('shutdown'), and
 * prints the number of workers. A process that hangs fails the test by its timeout.
 */
import * as dt from '../../../../src/index.ts';
import { poolSize, setParkMs } from '../../../../src/kernels/cpu/thread-pool.ts';

const mode = process.argv[2];
if (mode === 'idle-loop') setParkMs(5);
await dt.setBackend('cpu');
const a = dt.ones([300, 300]);
dt.matmul(a, a).dispose();
const before = poolSize();
if (mode === 'shutdown') {
  await dt.shutdown();
  process.stdout.write(`workers=${before} after=${poolSize()}\n`);
} else {
  if (mode === 'idle-loop') await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(`workers=${before}\n`);
}
