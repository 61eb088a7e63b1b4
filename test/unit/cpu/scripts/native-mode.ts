/**
 * Prints, as one JSON line, what this process's CPU backend makes of DITTO_CPU_NATIVE: each native kernel's status
 * and the backend's description after one small training-free op (test/unit/cpu/native-mode.test.ts runs it with
 * several values; a bad value must fail the process with a clear error).
 */
import * as dt from '../../../../src/index.ts';
import { nativeColSumStatus } from '../../../../src/kernels/cpu/native-colsum.ts';
import { nativeGemmStatus } from '../../../../src/kernels/cpu/native-gemm.ts';
import { nativeDropoutStatus } from '../../../../src/kernels/cpu/native-philox.ts';
import { nativePoolStatus } from '../../../../src/kernels/cpu/native-pool.ts';

const y = dt.matmul(dt.ones([8, 8]), dt.ones([8, 8]));
await y.data();
const status = { gemm: nativeGemmStatus(), dropout: nativeDropoutStatus(), pool: nativePoolStatus(), colsum: nativeColSumStatus() };
process.stdout.write(`${JSON.stringify({ status, description: dt.getBackendInfo().description })}\n`);
await dt.shutdown();
