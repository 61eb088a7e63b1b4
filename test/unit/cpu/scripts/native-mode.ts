/**
 * Prints, as one JSON line, what this process's CPU backend makes of DITTO_CPU_NATIVE: each native kernel's status
 * and the backend's description after one small training-free op (test/unit/cpu/native-mode.test.ts runs it with
 * several values; a bad value must fail the process with a clear error).
 */
import * as dt from '../../../../src/index.ts';
import { nativeColSum } from '../../../../src/kernels/cpu/native-colsum.ts';
import { nativeGemm } from '../../../../src/kernels/cpu/native-gemm.ts';
import { nativeDropout } from '../../../../src/kernels/cpu/native-philox.ts';
import { nativePool } from '../../../../src/kernels/cpu/native-pool.ts';

const y = dt.matmul(dt.ones([8, 8]), dt.ones([8, 8]));
await y.data();
const status = { gemm: nativeGemm.status(), dropout: nativeDropout.status(), pool: nativePool.status(), colsum: nativeColSum.status() };
process.stdout.write(`${JSON.stringify({ status, description: dt.getBackendInfo().description })}\n`);
await dt.shutdown();
