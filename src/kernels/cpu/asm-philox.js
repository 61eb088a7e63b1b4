/**
 * Philox4x32-10 uniforms (the TensorFlow layout of src/core/ops/random-uniform.ts) as an asm.js
 * module: plain JavaScript that V8 validates and compiles to native 32-bit integer code, about
 * 1.5x faster than the same loop in ordinary JS (see asm-gemm.js for why asm.js: it is still
 * JavaScript, no WebAssembly binary; the bits are the same whether or not V8 validates it, and
 * test/unit/cpu/asm-validation.test.ts fails if it stops validating).
 *
 * run(dst, groups, key0, key1, c0, c1, c2, c3) writes 4 * groups floats at byte dst: for block
 * g, the words (y0, y1, y2, y3) = Philox4x32-10(counter + g, key) as in philox4x32Into
 * (src/core/random/philox.ts), each mapped to f32(y & 0x7FFFFF) * 2^-23 (exact); the 128-bit
 * counter (c0 least significant) is incremented with carry after each block (TF SkipOne).
 * Constants are the int32 bit patterns of M0 = 0xD2511F53 (halves 0xD251, 0x1F53),
 * M1 = 0xCD9E8D57 (0xCD9E, 0x8D57), W0 = 0x9E3779B9, W1 = 0xBB67AE85. mulhi from 16-bit halves
 * exactly as in philox4x32Into.
 */
export function PhiloxKernels(stdlib, foreign, heap) {
  "use asm";
  var imul = stdlib.Math.imul;
  var fround = stdlib.Math.fround;
  var F = new stdlib.Float32Array(heap);

  function run(dst, groups, key0, key1, c0, c1, c2, c3) {
    dst = dst | 0;
    groups = groups | 0;
    key0 = key0 | 0;
    key1 = key1 | 0;
    c0 = c0 | 0;
    c1 = c1 | 0;
    c2 = c2 | 0;
    c3 = c3 | 0;
    var x0 = 0, x1 = 0, x2 = 0, x3 = 0, k0 = 0, k1 = 0, r = 0, end = 0;
    var a0h = 0, a0l = 0, lo0 = 0, lh0 = 0, hl0 = 0, carry0 = 0, hi0 = 0;
    var a2h = 0, a2l = 0, lo1 = 0, lh1 = 0, hl1 = 0, carry1 = 0, hi1 = 0, n0 = 0, n2 = 0;
    end = (dst + (groups << 4)) | 0;
    while ((dst | 0) < (end | 0)) {
      x0 = c0;
      x1 = c1;
      x2 = c2;
      x3 = c3;
      k0 = key0;
      k1 = key1;
      for (r = 0; (r | 0) < 10; r = (r + 1) | 0) {
        if ((r | 0) > 0) {
          k0 = (k0 + -1640531527) | 0;
          k1 = (k1 + -1150833019) | 0;
        }
        a0h = x0 >>> 16;
        a0l = x0 & 65535;
        lo0 = imul(-766435501, x0) | 0;
        lh0 = imul(8019, a0h) | 0;
        hl0 = imul(53841, a0l) | 0;
        carry0 = ((((imul(8019, a0l) | 0) >>> 16) + (lh0 & 65535) | 0) + (hl0 & 65535) | 0) >>> 16;
        hi0 = ((((imul(53841, a0h) | 0) + (lh0 >>> 16)) | 0) + (hl0 >>> 16) | 0) + carry0 | 0;
        a2h = x2 >>> 16;
        a2l = x2 & 65535;
        lo1 = imul(-845247145, x2) | 0;
        lh1 = imul(36183, a2h) | 0;
        hl1 = imul(52638, a2l) | 0;
        carry1 = ((((imul(36183, a2l) | 0) >>> 16) + (lh1 & 65535) | 0) + (hl1 & 65535) | 0) >>> 16;
        hi1 = ((((imul(52638, a2h) | 0) + (lh1 >>> 16)) | 0) + (hl1 >>> 16) | 0) + carry1 | 0;
        n0 = hi1 ^ x1 ^ k0;
        n2 = hi0 ^ x3 ^ k1;
        x0 = n0;
        x1 = lo1;
        x2 = n2;
        x3 = lo0;
      }
      F[dst >> 2] = fround(fround(x0 & 8388607) * fround(1.1920928955078125e-7));
      F[(dst + 4) >> 2] = fround(fround(x1 & 8388607) * fround(1.1920928955078125e-7));
      F[(dst + 8) >> 2] = fround(fround(x2 & 8388607) * fround(1.1920928955078125e-7));
      F[(dst + 12) >> 2] = fround(fround(x3 & 8388607) * fround(1.1920928955078125e-7));
      dst = (dst + 16) | 0;
      c0 = (c0 + 1) | 0;
      if ((c0 | 0) == 0) {
        c1 = (c1 + 1) | 0;
        if ((c1 | 0) == 0) {
          c2 = (c2 + 1) | 0;
          if ((c2 | 0) == 0) c3 = (c3 + 1) | 0;
        }
      }
    }
  }

  return { run: run };
}
