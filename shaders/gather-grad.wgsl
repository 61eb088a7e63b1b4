// requires: lib/index, const/sum-chunk
// gather-grad: dx[o, r, j] = S over i (ascending) with ids[i] == r of dy[o, i, j], the engine's
// summation tree over the canonical index i in [0, n) (src/core/ops/gather.ts); non-matching i
// are skipped and keep their index, which equals adding +0 (an identity for sums that start
// at +0). Invocation (g, o, r, j), j fastest, covers i in [g*G, min(n, (g+1)*G)) in the
// two-level streaming form (chunk = +0 plus 256 consecutive i, total = +0 plus chunks) and writes
// out[g*outputs + (o*dim + r)*inner + j]; with mg > 1 the host finishes the tree with reduce-sum.
// Bindings: 0 dy (read, f32), 1 ids (read, i32), 2 out (read_write, f32), 3 params.
// Dispatch: ceil(outputs * mg / WG) workgroups, x*y*z grid.

override WG: u32 = 256u;

struct Params {
  total: u32,
  outputs: u32,
  dim: u32,
  n: u32,
  inner: u32,
  G: u32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let id = invocation_index(wid, nwg, lidx, WG);
  if (id >= params.total) {
    return;
  }
  let e = id % params.outputs;
  let g = id / params.outputs;
  let j = e % params.inner;
  let t = e / params.inner;
  let r = i32(t % params.dim);
  let o = t / params.dim;
  let i0 = g * params.G;
  let i1 = min(params.n, i0 + params.G);
  let base = o * params.n * params.inner + j;
  var total = 0.0;
  for (var c0 = i0; c0 < i1; c0 = c0 + SUM_CHUNK) {
    let c1 = min(i1, c0 + SUM_CHUNK);
    var chunk = 0.0;
    for (var i = c0; i < c1; i = i + 1u) {
      if (ids[i] == r) {
        chunk = chunk + dy[base + i * params.inner];
      }
    }
    total = total + chunk;
  }
  out[id] = total;
}
