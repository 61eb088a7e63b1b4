// requires: lib/index
// one-hot: out[i*depth + k] = ids[i] == k ? on : off (32-bit words prepared on the host for the
// output dtype); an index outside [0, depth) gives a row of `off` (src/kernels/cpu/gather.ts).
// uint8 indices are stored one per u32 word, so they read correctly as i32.
// Bindings: 0 ids (read, i32), 1 out (read_write), 2 params.
// Dispatch: ceil(total / WG) workgroups, x*y*z grid; one element each. Reduction order: none.

override WG: u32 = 256u;

struct Params {
  total: u32,
  depth: u32,
  on: u32,
  off: u32,
}

@group(0) @binding(0) var<storage, read> ids: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.total) {
    return;
  }
  let k = i % params.depth;
  let r = ids[i / params.depth];
  out[i] = select(params.off, params.on, r == i32(k));
}
