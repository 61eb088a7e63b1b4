// requires: lib/index, lib/strided, const/elementwise
// copy: out[outOff + offOut(i)] = x[inOff + offIn(i)] for row-major i over the iteration shape,
// 32-bit words (any dtype). Serves transpose, slice, broadcastTo, concat (one dispatch per
// piece, strided output), pad (after a fill) and same-dtype cast.
// Large tensors run in chunks with windowed bindings (lib/index.wgsl Strided origin/bases).
// Bindings: 0 x (read), 1 out (read_write), 2 params (st.s0: input strides, st.s1: output strides).
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation (lib/strided.wgsl). Reduction order: none.

override WG: u32 = 256u;

struct Params {
  st: Strided,
  n: u32,
  rank: u32,
  inOff: u32,
  outOff: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i0 = invocation_index(wid, nwg, lidx, WG) * E;
  if (i0 >= params.n) {
    return;
  }
  let i1 = min(params.n, i0 + E);
  let inner = st_inner();
  var c = st_inner_coord(i0, inner.x);
  var off = st_offsets(i0);
  for (var i = i0; i < i1; i = i + 1u) {
    out[params.outOff + off.y] = x[params.inOff + off.x];
    c = c + 1u;
    if (c == inner.x) {
      c = 0u;
      off = st_offsets(i + 1u);
    } else {
      off = off + inner.yzw;
    }
  }
}
