/**
 * A test-only backend that wraps the CPU backend and, when armed, flips one bit of one element of the output of
 * the n-th run of one op: a perturbation injected through the backend interface, for the tests that check that
 * `ditto diff` finds it exactly (step, op, layer, index). Register it as 'cpu' before the first backend is created
 * (each test file runs in its own module graph).
 */
import type { Backend, TensorInfo } from '../../src/advanced.ts';
import { CpuBackend } from '../../src/kernels/cpu/index.ts';

/** Which output to perturb. */
export interface BitFlip {
  /** The primitive op, e.g. 'conv2d'. */
  op: string;
  /** Which run of `op` after arming (0: the first). */
  occurrence: number;
  /** Flat index of the element. */
  index: number;
  /** Bit to flip (0: the lowest mantissa bit of a float32). */
  bit: number;
}

/** Delegates everything to a CpuBackend; `arm` schedules one bit flip. */
export class BitFlipBackend implements Backend {
  readonly name = 'cpu' as const;
  private readonly inner = new CpuBackend();
  private plan: BitFlip | null = null;
  private seen = 0;
  /** Set once the flip happened. */
  flipped = false;

  get description(): string {
    return this.inner.description;
  }

  /** Flips `plan.bit` of element `plan.index` of the `plan.occurrence`-th run of `plan.op` from now on. */
  arm(plan: BitFlip): void {
    this.plan = plan;
    this.seen = 0;
    this.flipped = false;
  }

  alloc(...a: Parameters<CpuBackend['alloc']>) { return this.inner.alloc(...a); }
  write(...a: Parameters<CpuBackend['write']>) { return this.inner.write(...a); }
  read(...a: Parameters<CpuBackend['read']>) { return this.inner.read(...a); }
  readSync(...a: Parameters<CpuBackend['readSync']>) { return this.inner.readSync(...a); }
  fingerprint(...a: Parameters<CpuBackend['fingerprint']>) { return this.inner.fingerprint(...a); }
  free(...a: Parameters<CpuBackend['free']>) { return this.inner.free(...a); }
  liveBuffers() { return this.inner.liveBuffers(); }
  supports(...a: Parameters<CpuBackend['supports']>) { return this.inner.supports(...a); }
  sync() { return this.inner.sync(); }
  dispose() { return this.inner.dispose(); }
  maxBufferBytes(...a: Parameters<NonNullable<CpuBackend['maxBufferBytes']>>) { return this.inner.maxBufferBytes!(...a); }

  run(op: Parameters<CpuBackend['run']>[0], inputs: readonly TensorInfo[], attrs: never, output: TensorInfo): void {
    this.inner.run(op, inputs as never, attrs, output as never);
    const p = this.plan;
    if (!p || op !== p.op) return;
    if (this.seen++ !== p.occurrence) return;
    const data = output.handle as Float32Array;
    const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
    bits[p.index] ^= 1 << p.bit;
    this.plan = null;
    this.flipped = true;
  }
}
