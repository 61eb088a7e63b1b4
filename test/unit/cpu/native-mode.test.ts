/**
 * DITTO_CPU_NATIVE in fresh processes (the choice is made once per thread): 0 turns every native kernel off and the
 * backend's description says WebAssembly only; a value other than 0 or 1 is an error naming the variable; unset, the
 * kernels run where the addon is built (and then the description names them). Tests of each kernel's bits:
 * native-{gemm,philox,pool,colsum}.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { nativeGemm } from '../../../src/kernels/cpu/native-gemm.ts';
import { runTs } from '../../util/subprocess.ts';

const SCRIPT = 'test/unit/cpu/scripts/native-mode.ts';

describe('DITTO_CPU_NATIVE', () => {
  it('0 turns every native kernel off; a bad value is an error; unset uses what is built', async () => {
    const [off, bad, auto] = await Promise.all([runTs(SCRIPT, [], { DITTO_CPU_NATIVE: '0' }), runTs(SCRIPT, [], { DITTO_CPU_NATIVE: 'yes' }), runTs(SCRIPT, [], { DITTO_CPU_NATIVE: '' })]);
    expect(off.code, off.stderr.toString()).toBe(0);
    const o = JSON.parse(off.stdout.toString());
    for (const k of ['gemm', 'dropout', 'pool', 'colsum']) expect(o.status[k]).toEqual({ active: false, reason: 'turned off (DITTO_CPU_NATIVE=0)' });
    expect(o.description).toBe('TypeScript + WebAssembly SIMD kernels, float32-exact');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.toString()).toMatch(/DITTO_CPU_NATIVE must be 0 or 1, got "yes"/);
    expect(auto.code, auto.stderr.toString()).toBe(0);
    const a = JSON.parse(auto.stdout.toString());
    // this process's own answer (same machine, same build) says whether the child should have used the addon
    const here = process.env.DITTO_CPU_NATIVE === '0' ? null : nativeGemm.status().active;
    if (here === true) expect(a.description).toBe('TypeScript + WebAssembly SIMD kernels + native AVX2 GEMM tiles, dropout, max pooling, column sums, convolutions, float32-exact');
    if (here === false) expect(a.description).toBe('TypeScript + WebAssembly SIMD kernels, float32-exact');
    if (process.env.DITTO_CPU_NATIVE === '1') expect(a.status.gemm.active).toBe(true);
  });
});
