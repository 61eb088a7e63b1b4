/**
 * Preloaded (node --import) into the process whose memory bench/memory.ts measures. A worker
 * thread samples process.memoryUsage.rss() (the whole process's resident set) every 100 ms into
 * shared memory, so sampling goes on while the main thread is busy training; when the process
 * exits, the maximum and the sample count are written as JSON to DITTO_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const file = process.env.DITTO_BENCH_RSS_FILE;
if (file) {
  const shared = new Float64Array(new SharedArrayBuffer(16)); // [max rss bytes, samples]
  shared[0] = process.memoryUsage.rss();
  shared[1] = 1;
  const t0 = performance.now();
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const s = new Float64Array(workerData);
     setInterval(() => { const r = process.memoryUsage.rss(); if (r > s[0]) s[0] = r; s[1]++; }, 100);`,
    { eval: true, workerData: shared.buffer, execArgv: [] },
  );
  worker.unref();
  process.on('exit', () => {
    const max = Math.max(shared[0], process.memoryUsage.rss());
    writeFileSync(file, JSON.stringify({ maxRssBytes: max, samples: shared[1], seconds: (performance.now() - t0) / 1000 }));
  });
}
