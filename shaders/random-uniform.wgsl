// requires: lib/index, lib/philox, const/random-algos
// random-uniform: unit uniforms in [0, 1) of one counter-based stream, the exact recipe of
// src/core/ops/random-uniform.ts (integer arithmetic, then one exact conversion m * 2^-23):
//   philox (algo 0): invocation g encrypts the 128-bit counter + g and writes out[4g .. 4g+3]
//                    (those < n) from the low 23 bits of words 0..3.
//   threefry (algo 1): with h = ceil(n/2), invocation j < h encrypts (j, j + h == n ? 0 : j + h)
//                    and writes out[j] (high 23 bits of y0) and out[j + h] if < n (of y1).
// Bindings: 0 out (read_write, f32), 1 params.
// Dispatch: ceil(blocks / WG) workgroups, x*y*z grid (blocks = ceil(n/4) or h). Reduction order: none.

override WG: u32 = 256u;

struct Params {
  counter: vec4<u32>,
  key: vec2<u32>,
  n: u32,
  algo: u32,
  blocks: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;

fn unit(m: u32) -> f32 {
  return f32(m) * bitcast<f32>(0x34000000u); // m * 2^-23, exact for m < 2^23
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let g = invocation_index(wid, nwg, lidx, WG);
  if (g >= params.blocks) {
    return;
  }
  let n = params.n;
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
      if (i0 + w < n) {
        out[i0 + w] = unit(y[w] & 0x7fffffu);
      }
    }
  } else {
    let h = params.blocks;
    let hi = g + h;
    let y = threefry2x32_20(params.key, vec2<u32>(g, select(hi, 0u, hi == n)));
    out[g] = unit(y.x >> 9u);
    if (hi < n) {
      out[hi] = unit(y.y >> 9u);
    }
  }
}
