/**
 * Elementwise, pooling and summation loops of the CPU backend that may run on any thread: plain
 * JavaScript (types in ew-tasks.d.ts) so that worker threads load it without a TypeScript loader.
 * The TypeScript kernels (binary.ts, unary.ts, pool.ts, reduce.ts) call these loops inline for
 * small tensors and through the worker pool (thread-pool.ts) for large ones. A block writes only
 * its own outputs, and every output is computed whole by one thread in its one order:
 *  - binary ops, where, relu: one operation per output element, no reduction; a block is a
 *    contiguous range of outputs.
 *  - maxPool2d, maxPool2dGrad: a block is a range of images; within an image the order is the
 *    documented one (pool.ts), and windows never cross images, so each dx element is written by
 *    one thread in window order.
 *  - sum: a block computes chunk sums c[o, j, i] = S(x rows of chunk j) of SUM_CHUNK = 256
 *    consecutive reduced rows, sequentially from +0 (level 0 of the summation tree); the kernel
 *    then combines each output's chunk sums with the tree's upper levels in order.
 * Float results are single correctly rounded float32 operations (see binary.ts).
 */

import { ewAvailable, ewBinary, ewColSum, ewPool2, ewPool2Fits, ewPool2Grad, ewRelu, ewReluGrad, ewRow, ewWhere } from './wasm-ew.js';

const fround = Math.fround;

// ---------------------------------------------------------------------------------------------
// Broadcasting binary ops over a collapsed 3-d index space [n0, n1, n2]: operand strides
// (a0, a1, a2), (b0, b1, b2), base offsets ao, bo; the output is dense from oo. Each loop covers
// outputs o0..o1-1. One function per op (and integer variant) so that V8 keeps them monomorphic;
// an operand that is constant along the innermost axis (a scalar, a bias column) is read once per
// row.

export const BINARY = {
  add(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] + yv;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv + y[pb];
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] + y[pb];
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  sub(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] - yv;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv - y[pb];
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] - y[pb];
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  mul(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] * yv;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv * y[pb];
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] * y[pb];
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  div(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] / yv;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv / y[pb];
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] / y[pb];
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  maximum(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) {
            const p = x[pa];
            const q = yv;
            d[o] = p >= q || p !== p ? p : q; // ties keep a; NaN wins
          }
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) {
            const p = xv;
            const q = y[pb];
            d[o] = p >= q || p !== p ? p : q; // ties keep a; NaN wins
          }
      } else {
        for (; o < end; o++, pa += a2, pb += b2) {
            const p = x[pa];
            const q = y[pb];
            d[o] = p >= q || p !== p ? p : q; // ties keep a; NaN wins
          }
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  minimum(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) {
            const p = x[pa];
            const q = yv;
            d[o] = p <= q || p !== p ? p : q;
          }
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) {
            const p = xv;
            const q = y[pb];
            d[o] = p <= q || p !== p ? p : q;
          }
      } else {
        for (; o < end; o++, pa += a2, pb += b2) {
            const p = x[pa];
            const q = y[pb];
            d[o] = p <= q || p !== p ? p : q;
          }
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  equal(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] === yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv === y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] === y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  notEqual(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] !== yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv !== y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] !== y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  less(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] < yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv < y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] < y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  lessEqual(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] <= yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv <= y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] <= y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  greater(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] > yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv > y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] > y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  greaterEqual(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = x[pa] >= yv ? 1 : 0;
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = xv >= y[pb] ? 1 : 0;
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = x[pa] >= y[pb] ? 1 : 0;
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  mulInt(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) d[o] = Math.imul(x[pa], yv);
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) d[o] = Math.imul(xv, y[pb]);
      } else {
        for (; o < end; o++, pa += a2, pb += b2) d[o] = Math.imul(x[pa], y[pb]);
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
  divInt(x, y, d, n1, n2, a0, a1, a2, b0, b1, b2, ao, bo, oo, o0, o1) {
    const rem = o0 - oo;
    let i = Math.floor(rem / (n1 * n2));
    let j = Math.floor((rem - i * n1 * n2) / n2);
    let k = rem - (i * n1 + j) * n2;
    for (let o = o0; o < o1; ) {
      const end = Math.min(o1, o + n2 - k);
      let pa = ao + i * a0 + j * a1 + k * a2;
      let pb = bo + i * b0 + j * b1 + k * b2;
      if (b2 === 0) {
        const yv = y[pb];
        for (; o < end; o++, pa += a2) {
            const q = yv;
            d[o] = q === 0 ? 0 : Math.floor(x[pa] / q);
          }
      } else if (a2 === 0) {
        const xv = x[pa];
        for (; o < end; o++, pb += b2) {
            const q = y[pb];
            d[o] = q === 0 ? 0 : Math.floor(xv / q);
          }
      } else {
        for (; o < end; o++, pa += a2, pb += b2) {
            const q = y[pb];
            d[o] = q === 0 ? 0 : Math.floor(x[pa] / q);
          }
      }
      k = 0;
      if (++j === n1) {
        j = 0;
        i++;
      }
    }
  },
};

/**
 * Task 'binary': outputs [i*block, (i+1)*block) of job { op, x, y, d, n1, n2, a0..b2, total,
 * block, form }; with `form` ('vv' dense operands, 'vs' / 'sv' one a scalar: binary.ts) the
 * WebAssembly SIMD loop of wasm-ew.js (float32 operands).
 */
export function runBinaryBlock(j, i) {
  const o0 = i * j.block;
  const o1 = Math.min(j.total, o0 + j.block);
  if (j.form) ewBinary(j.op, j.form, j.x, j.y, j.d, o0, o1);
  else BINARY[j.op](j.x, j.y, j.d, j.n1, j.n2, j.a0, j.a1, j.a2, j.b0, j.b1, j.b2, 0, 0, 0, o0, o1);
}

/** Task 'binaryRow': rows [i*block, (i+1)*block) of job { op, x, y, d, C, rows, block }: d[r, c] = x[r, c] op y[c] (wasm-ew.js). */
export function runBinaryRowBlock(j, i) {
  const r0 = i * j.block;
  ewRow(j.op, j.x, j.y, j.d, j.C, r0, Math.min(j.rows, r0 + j.block));
}

/** out[o] = cond[c] !== 0 ? x[a] : y[b] over outputs o0..o1-1 of a collapsed 3-d broadcast (as BINARY). */
export function whereRange(cond, x, y, d, n1, n2, c0, c1, c2, a0, a1, a2, b0, b1, b2, co, ao, bo, oo, o0, o1) {
  const rem = o0 - oo;
  let i = Math.floor(rem / (n1 * n2));
  let j = Math.floor((rem - i * n1 * n2) / n2);
  let k = rem - (i * n1 + j) * n2;
  for (let o = o0; o < o1; ) {
    const end = Math.min(o1, o + n2 - k);
    let pc = co + i * c0 + j * c1 + k * c2;
    let pa = ao + i * a0 + j * a1 + k * a2;
    let pb = bo + i * b0 + j * b1 + k * b2;
    for (; o < end; o++, pc += c2, pa += a2, pb += b2) d[o] = cond[pc] !== 0 ? x[pa] : y[pb];
    k = 0;
    if (++j === n1) {
      j = 0;
      i++;
    }
  }
}

/** Task 'where': outputs [i*block, (i+1)*block) of job { cond, x, y, d, n1, n2, c0..b2, total, block }. */
export function runWhereBlock(j, i) {
  const o0 = i * j.block;
  const o1 = Math.min(j.total, o0 + j.block);
  if (j.form) return ewWhere(j.form, j.cond, j.x, j.y, j.d, o0, o1);
  whereRange(j.cond, j.x, j.y, j.d, j.n1, j.n2, j.c0, j.c1, j.c2, j.a0, j.a1, j.a2, j.b0, j.b1, j.b2, 0, 0, 0, 0, o0, o1);
}

/** relu over [o0, o1): x > 0 ? x : +0, NaN stays NaN (float32 through wasm-ew.js where available). */
export function reluRange(s, d, o0, o1) {
  if (s instanceof Float32Array && o1 - o0 >= 64 && ewAvailable()) return ewRelu(s, d, o0, o1);
  for (let i = o0; i < o1; i++) {
    const v = s[i];
    d[i] = v > 0 || v !== v ? v : 0;
  }
}

/** Task 'relu': elements [i*block, (i+1)*block) of job { x, d, total, block }. */
export function runReluBlock(j, i) {
  const o0 = i * j.block;
  reluRange(j.x, j.d, o0, Math.min(j.total, o0 + j.block));
}

/** reluGrad over [o0, o1): d = x > 0 ? g : +0 (float32; through wasm-ew.js where available). */
export function reluGradRange(g, x, d, o0, o1) {
  if (o1 - o0 >= 64 && ewAvailable()) return ewReluGrad(g, x, d, o0, o1);
  for (let i = o0; i < o1; i++) d[i] = x[i] > 0 ? g[i] : 0;
}

/** Task 'reluGrad': elements [i*block, (i+1)*block) of job { g, x, d, total, block }. */
export function runReluGradBlock(j, i) {
  const o0 = i * j.block;
  reluGradRange(j.g, j.x, j.d, o0, Math.min(j.total, o0 + j.block));
}

// ---------------------------------------------------------------------------------------------
// Max pooling (NHWC) over images n0..n1-1; geometry g = { inH, inW, C, kH, kW, sH, sW, outH,
// outW, padTop, padLeft }. Order: see pool.ts.

/** Whether geometry g is 2 x 2 stride-2 unpadded pooling that the SIMD loops of wasm-ew.js take. */
// ewPool2 / ewPool2Grad compute 'valid' geometry (floor(H / 2) x floor(W / 2) full windows): 'same' padding of an
// odd size also has padTop = padLeft = 0 but one more, partial, window per row and column, which only the
// general loops below handle.
const simdPool2 = (g) => g.kH === 2 && g.kW === 2 && g.sH === 2 && g.sW === 2 && g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH >> 1 && g.outW === g.inW >> 1 && ewPool2Fits(g.inW, g.C);

/** maxPool2d: out[n, oh, ow, c] = first maximum of the valid window (NaN wins), 0 for an empty window. */
export function maxPoolImages(g, src, dst, n0, n1) {
  if (simdPool2(g) && src instanceof Float32Array) return ewPool2(src, dst, g.inH, g.inW, g.C, n0, n1);
  const { C, inH, inW, kH, kW, sH, sW, outH, outW, padTop, padLeft } = g;
  let o = n0 * outH * outW * C;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * sH - padTop;
      const h0 = hs > 0 ? hs : 0;
      const h1 = hs + kH < inH ? hs + kH : inH;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const ws = ow * sW - padLeft;
        const w0 = ws > 0 ? ws : 0;
        const w1 = ws + kW < inW ? ws + kW : inW;
        if (h0 >= h1 || w0 >= w1) {
          for (let c = 0; c < C; c++) dst[o + c] = 0;
          continue;
        }
        const first = ((n * inH + h0) * inW + w0) * C;
        if (h1 - h0 === 2 && w1 - w0 === 2) {
          // a full 2x2 window: the same scan, unrolled
          const s1 = first + C;
          const s2 = first + inW * C;
          const s3 = s2 + C;
          for (let c = 0; c < C; c++) {
            let best = src[first + c];
            let v = src[s1 + c];
            if (v > best || (v !== v && best === best)) best = v;
            v = src[s2 + c];
            if (v > best || (v !== v && best === best)) best = v;
            v = src[s3 + c];
            if (v > best || (v !== v && best === best)) best = v;
            dst[o + c] = best;
          }
          continue;
        }
        for (let c = 0; c < C; c++) dst[o + c] = src[first + c];
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = ih === h0 ? w0 + 1 : w0; iw < w1; iw++) {
            const s = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = src[s + c];
              const best = dst[o + c];
              if (v > best || (v !== v && best === best)) dst[o + c] = v;
            }
          }
        }
      }
    }
  }
}

/**
 * maxPool2dGrad: dx of images n0..n1-1 = +0, then window by window (n, oh, ow row-major) dy is
 * added at the window's first maximum, channel by channel: dx = f32(dx + dy).
 */
export function maxPoolGradImages(g, src, gy, dx, n0, n1) {
  if (simdPool2(g) && src instanceof Float32Array) return ewPool2Grad(src, gy, dx, g.inH, g.inW, g.C, n0, n1);
  const { C, inH, inW, kH, kW, sH, sW, outH, outW, padTop, padLeft } = g;
  const best = new Float64Array(C);
  const at = new Int32Array(C);
  dx.fill(0, n0 * inH * inW * C, n1 * inH * inW * C);
  let o = n0 * outH * outW * C;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * sH - padTop;
      const h0 = hs > 0 ? hs : 0;
      const h1 = hs + kH < inH ? hs + kH : inH;
      for (let ow = 0; ow < outW; ow++, o += C) {
        const ws = ow * sW - padLeft;
        const w0 = ws > 0 ? ws : 0;
        const w1 = ws + kW < inW ? ws + kW : inW;
        if (h0 >= h1 || w0 >= w1) continue;
        const first = ((n * inH + h0) * inW + w0) * C;
        if (h1 - h0 === 2 && w1 - w0 === 2) {
          // a full 2x2 window: the same scan and update, unrolled
          const s1 = first + C;
          const s2 = first + inW * C;
          const s3 = s2 + C;
          for (let c = 0; c < C; c++) {
            let b = src[first + c];
            let i = first + c;
            let v = src[s1 + c];
            if (v > b || (v !== v && b === b)) {
              b = v;
              i = s1 + c;
            }
            v = src[s2 + c];
            if (v > b || (v !== v && b === b)) {
              b = v;
              i = s2 + c;
            }
            v = src[s3 + c];
            if (v > b || (v !== v && b === b)) i = s3 + c;
            dx[i] = fround(dx[i] + gy[o + c]);
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          best[c] = src[first + c];
          at[c] = first + c;
        }
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = ih === h0 ? w0 + 1 : w0; iw < w1; iw++) {
            const s = ((n * inH + ih) * inW + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = src[s + c];
              const b = best[c];
              if (v > b || (v !== v && b === b)) {
                best[c] = v;
                at[c] = s + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const i = at[c];
          dx[i] = fround(dx[i] + gy[o + c]);
        }
      }
    }
  }
}

/** Task 'maxPool2d': images [i*block, (i+1)*block) of job { g, x, out, images, block }. */
export function runMaxPoolBlock(j, i) {
  const n0 = i * j.block;
  maxPoolImages(j.g, j.x, j.out, n0, Math.min(j.images, n0 + j.block));
}

/** Task 'maxPool2dGrad': images [i*block, (i+1)*block) of job { g, x, dy, out, images, block }. */
export function runMaxPoolGradBlock(j, i) {
  const n0 = i * j.block;
  maxPoolGradImages(j.g, j.x, j.dy, j.out, n0, Math.min(j.images, n0 + j.block));
}

// ---------------------------------------------------------------------------------------------
// Chunk sums for sum over a contiguous run of axes: x as [outer, R, inner], chunk j of output
// group o covers rows j*256 .. min(R, (j+1)*256)-1: part[(o*chunks + j)*inner + t] =
// S(x[o, r, t] for those rows), sequential from +0.

/** Chunk sums of chunks j0..j1-1 of group o. */
export function chunkSums(x, R, inner, o, j0, j1, chunks, part) {
  if (inner === 1) {
    for (let jc = j0; jc < j1; jc++) {
      let acc = 0;
      const r1 = Math.min(R, (jc + 1) * 256);
      for (let s = o * R + jc * 256, e = o * R + r1; s < e; s++) acc = fround(acc + x[s]);
      part[o * chunks + jc] = acc;
    }
    return;
  }
  if (inner % 4 === 0 && x instanceof Float32Array && ewAvailable()) {
    for (let jc = j0; jc < j1; jc++) ewColSum(x, inner, o * R + jc * 256, o * R + Math.min(R, (jc + 1) * 256), part, (o * chunks + jc) * inner);
    return;
  }
  for (let jc = j0; jc < j1; jc++) {
    const p = (o * chunks + jc) * inner;
    part.fill(0, p, p + inner);
    const r1 = Math.min(R, (jc + 1) * 256);
    for (let r = jc * 256; r < r1; r++) {
      const s = (o * R + r) * inner;
      for (let t = 0; t < inner; t++) part[p + t] = fround(part[p + t] + x[s + t]);
    }
  }
}

/** Task 'sumChunks': job { x, R, inner, outer, chunks, part, block }: block i = (o, chunk range). */
export function runSumChunksBlock(j, i) {
  const perGroup = Math.ceil(j.chunks / j.block);
  const o = Math.floor(i / perGroup);
  const j0 = (i - o * perGroup) * j.block;
  chunkSums(j.x, j.R, j.inner, o, j0, Math.min(j.chunks, j0 + j.block), j.chunks, j.part);
}

// ---------------------------------------------------------------------------------------------
// Bilinear resize (resize-bilinear.ts: the per-axis source rows/columns and float32 weights are
// computed there once), images n0..n1-1; each output element is the documented sequence of
// single float32 operations: top = tl + (tr - tl) * lx, bottom likewise, top + (bottom - top) * ly.

/** resizeBilinear of images [n0, n1) of job { src, dst, inH, inW, C, outH, outW, ylo, yhi, ylerp, xlo, xhi, xlerp }. */
export function resizeImages(j, n0, n1) {
  const { src, dst, inH, inW, C, outH, outW, ylo, yhi, ylerp, xlo, xhi, xlerp } = j;
  const rowStride = inW * C;
  let o = n0 * outH * outW * C;
  for (let b = n0; b < n1; b++) {
    const base = b * inH * rowStride;
    for (let y = 0; y < outH; y++) {
      const r0 = base + ylo[y] * rowStride;
      const r1 = base + yhi[y] * rowStride;
      const ly = ylerp[y];
      if (C === 1) {
        for (let xo = 0; xo < outW; xo++, o++) {
          const c0 = xlo[xo];
          const c1 = xhi[xo];
          const lx = xlerp[xo];
          const tl = src[r0 + c0];
          const bl = src[r1 + c0];
          const top = fround(tl + fround(fround(src[r0 + c1] - tl) * lx));
          const bottom = fround(bl + fround(fround(src[r1 + c1] - bl) * lx));
          dst[o] = fround(top + fround(fround(bottom - top) * ly));
        }
        continue;
      }
      for (let xo = 0; xo < outW; xo++) {
        const c0 = xlo[xo] * C;
        const c1 = xhi[xo] * C;
        const lx = xlerp[xo];
        for (let c = 0; c < C; c++, o++) {
          const tl = src[r0 + c0 + c];
          const tr = src[r0 + c1 + c];
          const bl = src[r1 + c0 + c];
          const br = src[r1 + c1 + c];
          const top = fround(tl + fround(fround(tr - tl) * lx));
          const bottom = fround(bl + fround(fround(br - bl) * lx));
          dst[o] = fround(top + fround(fround(bottom - top) * ly));
        }
      }
    }
  }
}

/** Task 'resizeBilinear': images [i*block, (i+1)*block) of job { ..., images, block }. */
export function runResizeBlock(j, i) {
  const n0 = i * j.block;
  resizeImages(j, n0, Math.min(j.images, n0 + j.block));
}
