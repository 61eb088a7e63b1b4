// requires: lib/index, lib/math, const/elementwise, const/math-ops
// unary-math: out[i] = f(x[i]) for the engine's own float32 transcendentals of lib/math.wgsl,
// which are operation-for-operation copies of src/core/math (so the bits equal the CPU's):
//   the override OP (= params.op; a pipeline per op): 0 exp (dt_exp), 1 log (dt_log),
//   2 sigmoid (dt_sigmoid), 3 tanh (dt_tanh).
// Large tensors run in chunks, each binding a window of x and out at the same element offset.
// Bindings: 0 x (read, f32), 1 out (read_write, f32), 2 params.
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation. Reduction order: none.

override WG: u32 = 256u;
override OP: u32 = 0u;

struct Params {
  n: u32,
  op: u32,
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
      default: { y = dt_tanh(v); }
    }
    out[i] = y;
  }
}
