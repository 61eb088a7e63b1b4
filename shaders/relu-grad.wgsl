// requires: lib/index, const/elementwise
// relu-grad: out[i] = x[i] > 0 ? dy[i] : +0 on float32 words: relu's gradient in one pass, the
// bits of where(greater(x, 0), dy, 0) (src/kernels/cpu/unary.ts reluGrad). x > 0 is decided
// from the bits (WGSL may assume finite math): sign clear, not zero, not NaN (+Inf counts).
// dy is copied as a word (NaN and -0 pass unchanged).
// Large tensors run in chunks, each binding a window of dy, x and out at the same element offset.
// Bindings: 0 dy (read), 1 x (read), 2 out (read_write), 3 params.
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation. Reduction order: none.

override WG: u32 = 256u;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<u32>;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    let w = x[i];
    let positive = (w >> 31u) == 0u && w != 0u && w <= 0x7f800000u;
    out[i] = select(0u, dy[i], positive);
  }
}
