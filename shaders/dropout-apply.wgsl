// requires: lib/index, lib/philox, lib/float-bits, const/random-algos
// dropout-apply: dropout of x with the mask of randomUniform's stream in one pass, the recipe of
// src/core/ops/dropout-apply.ts and the bits of src/kernels/cpu/dropout-apply.ts:
//   philox (algo 0): invocation g encrypts the 128-bit counter + g (the carry chain of
//                    random-uniform.wgsl) and writes out[4g .. 4g+3] (those < n): word w keeps
//                    x when (y[w] & 0x7FFFFF) >= params.threshold, out = dt_mul_bits(x, factor).
//   threefry (algo 1): with h = ceil(n/2), invocation j < h encrypts (j, j + h == n ? 0 : j + h);
//                    out[j] from y0 and out[j + h] (if < n) from y1: keep when (y >> 9) < threshold,
//                    out = dt_div_bits(x, factor).
// Dropped elements are +0. threshold is the integer rule of src/core/random/dropout.ts
// (dropoutKeepRule), the float comparison of the uniform m * 2^-23 decided exactly on integers;
// dt_mul_bits / dt_div_bits are the binary kernel's correctly rounded float32 operations on any
// driver (subnormals, NaN payloads and Inf as the CPU), so kept values are the bits of mul / div.
// Bindings: 0 x (read), 1 out (read_write), 2 params.
// Dispatch: ceil(blocks / WG) workgroups, x*y*z grid (blocks = ceil(n/4) or h). Reduction order: none.

override WG: u32 = 256u;

struct Params {
  counter: vec4<u32>,
  key: vec2<u32>,
  n: u32,
  algo: u32,
  blocks: u32,
  threshold: u32,
  factor: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let g = invocation_index(wid, nwg, lidx, WG);
  if (g >= params.blocks) {
    return;
  }
  let n = params.n;
  let t = params.threshold;
  let f = params.factor;
  if (params.algo == ALGO_PHILOX) {
    let base = params.counter;
    var c = base;
    c.x = base.x + g;
    var k = select(0u, 1u, c.x < g);
    c.y = base.y + k;
    k = select(0u, 1u, k == 1u && c.y == 0u);
    c.z = base.z + k;
    k = select(0u, 1u, k == 1u && c.z == 0u);
    c.w = base.w + k;
    let y = philox4x32_10(c, params.key);
    let i0 = 4u * g;
    for (var w = 0u; w < 4u; w = w + 1u) {
      let i = i0 + w;
      if (i < n) {
        out[i] = select(0u, dt_mul_bits(x[i], f), (y[w] & 0x7fffffu) >= t);
      }
    }
  } else {
    let h = params.blocks;
    let hi = g + h;
    let y = threefry2x32_20(params.key, vec2<u32>(g, select(hi, 0u, hi == n)));
    out[g] = select(0u, dt_div_bits(x[g], f), (y.x >> 9u) < t);
    if (hi < n) {
      out[hi] = select(0u, dt_div_bits(x[hi], f), (y.y >> 9u) < t);
    }
  }
}
