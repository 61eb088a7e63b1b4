/**
 * Subprocess for test/unit/cpu/simd-scalar.test.ts: loads the CPU backend the way programs do
 * (through tsx), runs conv2d jobs on 3 threads, and prints JSON with whether each thread (the
 * main thread and both workers, whose TypeScript sources load through the pool's tsx bootstrap)
 * has the WebAssembly SIMD modules (1 GEMM + 2 Philox + 4 elementwise), and any process warnings.
 */
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

const dt = await import('../../../../src/index.ts');
const { runJob, setParallelMinWork } = await import('../../../../src/kernels/cpu/thread-pool.ts');
dt.config.setNumThreads(3);
setParallelMinWork(1);
await dt.setBackend('cpu');
const x = dt.ones([2, 9, 9, 8]);
const w = dt.ones([3, 3, 8, 4]);
const y = dt.conv2d(x, w);
const sum = (await y.data())[0];
const simd = new Int32Array(new SharedArrayBuffer(16)).fill(-1);
runJob('test.simd', { out: simd, spinMs: 5 }, 60, { work: 1, out: simd, workersOnly: true });
runJob('test.simd', { out: simd }, 1, { work: 0, out: simd });
await new Promise((r) => setTimeout(r, 50)); // let process warnings be emitted
process.stdout.write(JSON.stringify({ sum, simd: [...simd.slice(0, 3)], warnings }) + '\n');
await dt.shutdown();
