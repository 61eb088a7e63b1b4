/**
 * Weight digests: SHA-256 over every weight's dtype, shape and little-endian bytes, in the
 * model's weight order. Equal digests mean bit-identical weights.
 * Part of src/nn: imports src/core and Node built-ins only.
 */
import { createHash } from 'node:crypto';
import type { Tensor } from '../core/internal.ts';

/**
 * SHA-256 (hex) over every tensor's dtype, shape and little-endian bytes, in order: equal digests mean bit-identical
 * tensors. `dt.utils.weightsDigest(model)` is this over the model's weights.
 */
export async function digestTensors(tensors: readonly Tensor[]): Promise<string> {
  const h = createHash('sha256');
  for (const t of tensors) {
    const d = await t.data();
    h.update(`${t.dtype}[${t.shape.join(',')}]`);
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}
