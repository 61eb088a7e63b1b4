// requires: lib/index, lib/float-bits, const/elementwise, const/adam-modes
// adam: the fused Adam updates of src/core/ops/adam.ts, per element the exact float32 operation
// sequence of the composed ops they replace (src/kernels/cpu/adam.ts), every step through
// lib/float-bits (correctly rounded + - * / and sqrt on any driver, subnormals included):
//   MODE 0 adamMoment:   out = a + (b - a) * c0              (a = m, b = g)
//   MODE 1 adamVelocity: out = a + (b * b - a) * c0          (a = u, b = g)
//   MODE 2 adamStep:     out = a - (b * c0) / (sqrt(c) + c1) (a = v, b = m, c = u; c0 = alpha, c1 = eps)
// Large tensors run in chunks, each binding a window of every operand at the same element offset.
// Bindings: 0 a, 1 b, 2 c (read; MODE < 2 binds a again as c), 3 out (read_write), 4 params
// (n, c0 and c1 as float32 bits). Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16
// consecutive elements per invocation. Reduction order: none.

override WG: u32 = 256u;
override MODE: u32 = 0u;

struct Params {
  n: u32,
  c0: u32,
  c1: u32,
}

@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read> c: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    let x = a[i];
    let y = b[i];
    var r: u32;
    if (MODE == ADAM_MOMENT) {
      r = dt_add_bits(x, dt_mul_bits(dt_sub_bits(y, x), params.c0));
    } else if (MODE == ADAM_VELOCITY) {
      r = dt_add_bits(x, dt_mul_bits(dt_sub_bits(dt_mul_bits(y, y), x), params.c0));
    } else {
      let q = dt_div_bits(dt_mul_bits(y, params.c0), dt_add_bits(dt_sqrt_bits(c[i]), params.c1));
      r = dt_sub_bits(x, q);
    }
    out[i] = r;
  }
}
