/**
 * Size-classed pool of GPU storage buffers. A released buffer goes back to its class and is
 * handed out again by a later `acquire`: that is safe because every access to tensor buffers
 * (dispatches, uploads staged as copy commands, readback copies) is recorded in one command
 * stream, which the GPU executes in order. Nothing here calls `queue.writeBuffer`.
 * Buffers evicted from a full pool are destroyed only after the commands that may still use
 * them were submitted (`afterSubmit`).
 * `acquire` hands out the oldest free buffer of the class (the lowest creation number), not the last released:
 * which buffer an op gets then depends only on which buffers are free, not on the order they were freed in, so a
 * training step binds the same buffers as the step before, whatever ran in between (a log read), and the command
 * stream finds its cached bind groups again (a new one costs 15-40 us of host time).
 * Part of src/kernels/webgpu: imports src/core only.
 */

/** Usage of every tensor buffer: bound as storage, and source/target of copies. */
const TENSOR_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08 /* COPY_DST */;

/** Smallest buffer handed out (bytes); also the alignment of every size class. */
const MIN_BYTES = 256;

/**
 * The size class of `bytes`: the next of 4 steps per power of two (1, 1.25, 1.5, 1.75 x 2^k),
 * so at most 25% is wasted; at least MIN_BYTES.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  const c = Math.ceil(bytes / step) * step;
  return Math.ceil(c / MIN_BYTES) * MIN_BYTES;
}

export interface PoolStats {
  /** Buffers handed out and not released. */
  inUse: number;
  /** Buffers waiting in the pool. */
  pooled: number;
  /** Bytes waiting in the pool. */
  pooledBytes: number;
  /** Buffers created since the pool was made. */
  created: number;
  /** Acquisitions served from the pool. */
  reused: number;
}

/** A pool of storage buffers for one device. */
export class BufferPool {
  /** Free buffers per size class, highest creation number first (`pop` takes the oldest). */
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Creation number of every buffer this pool made. */
  private readonly order = new WeakMap<GPUBuffer, number>();
  private readonly doomed: GPUBuffer[] = [];
  private pooledBytes = 0;
  private inUse = 0;
  private created = 0;
  private reused = 0;

  /** @param maxPooledBytes bytes kept for reuse; beyond that released buffers are destroyed. */
  constructor(private readonly device: GPUDevice, private readonly maxPooledBytes = 512 * 1024 * 1024) {}

  /** A buffer of at least `bytes` bytes (contents unspecified). */
  acquire(bytes: number): GPUBuffer {
    const cls = sizeClass(bytes);
    const list = this.free.get(cls);
    this.inUse++;
    if (list && list.length) {
      this.reused++;
      this.pooledBytes -= cls;
      return list.pop()!;
    }
    this.created++;
    const buffer = this.device.createBuffer({ size: cls, usage: TENSOR_USAGE });
    this.order.set(buffer, this.created);
    return buffer;
  }

  /** Returns a buffer obtained from `acquire`. */
  release(buffer: GPUBuffer): void {
    this.inUse--;
    const cls = buffer.size;
    if (this.pooledBytes + cls > this.maxPooledBytes) {
      this.doomed.push(buffer);
      return;
    }
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    // Insert keeping the list in decreasing creation number (binary search; lists are short).
    const n = this.order.get(buffer) ?? 0;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.order.get(list[mid]) ?? 0) > n) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, buffer);
    this.pooledBytes += cls;
  }

  /** Destroys buffers evicted before the last submit (they are no longer referenced by new work). */
  afterSubmit(): void {
    for (const b of this.doomed.splice(0)) b.destroy();
  }

  stats(): PoolStats {
    let pooled = 0;
    for (const l of this.free.values()) pooled += l.length;
    return { inUse: this.inUse, pooled, pooledBytes: this.pooledBytes, created: this.created, reused: this.reused };
  }

  /** Destroys every pooled buffer (at shutdown, after the last submit). */
  destroyAll(): void {
    for (const l of this.free.values()) for (const b of l) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
    this.afterSubmit();
  }
}
