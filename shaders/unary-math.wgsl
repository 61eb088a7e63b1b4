// requires: lib/index, lib/math, const/elementwise, const/math-ops
// unary-math: out[i] = f(x[i]) for the engine's own float32 transcendentals of lib/math.wgsl,
// which are operation-for-operation copies of src/core/math (so the bits equal the CPU's):
//   the override OP (= params.op; a pipeline per op): exp (dt_exp), log (dt_log), sigmoid
//   (dt_sigmoid), tanh (dt_tanh), elu (x > +0 ? x : alpha * dt_expm1(x), the product through
//   dt_mul_bits, x > +0 decided on the bits: the CPU's fround(alpha * expm1_32(x))); codes MATH_*.
//   Also erf (dt_erf) and softplus (dt_softplus), host src/kernels/webgpu/special-unary.ts.
// Large tensors run in chunks, each binding a window of x and out at the same element offset.
// Bindings: 0 x (read, f32), 1 out (read_write, f32), 2 params.
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation. Reduction order: none.

override WG: u32 = 256u;
override OP: u32 = 0u;

struct Params {
  n: u32,
  op: u32,
  // elu's alpha as float32 bits (0 for the other ops)
  alpha: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    let v = x[i];
    var y: f32;
    switch (OP) {
      case MATH_EXP: { y = dt_exp(v); }
      case MATH_LOG: { y = dt_log(v); }
      case MATH_SIGMOID: { y = dt_sigmoid(v); }
      case MATH_TANH: { y = dt_tanh(v); }
      case MATH_ERF: { y = dt_erf(v); }
      case MATH_SOFTPLUS: { y = dt_softplus(v); }
      case MATH_ELU, default: {
        let w = bitcast<u32>(v);
        if ((w >> 31u) == 0u && w != 0u && w <= 0x7f800000u) {
          y = v;
        } else {
          y = bitcast<f32>(dt_mul_bits(params.alpha, bitcast<u32>(dt_expm1(v))));
        }
      }
    }
    out[i] = y;
  }
}
