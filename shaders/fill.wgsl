// requires: lib/index, const/elementwise
// fill: out[i] = value for i < n (value: the 32-bit word of the dtype, prepared on the host).
// Large tensors run in chunks, each binding a window of out.
// Bindings: 0 out (read_write, u32 words), 1 params.
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation.
// Reduction order: none.

override WG: u32 = 256u;

struct Params {
  n: u32,
  value: u32,
}

@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  let i1 = min(params.n, i0 + E);
  for (var i = i0; i < i1; i = i + 1u) {
    out[i] = params.value;
  }
}
