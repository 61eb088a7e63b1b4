// requires: lib/index
// gather: out[o, i, j] = x[o, ids[i], j] for x viewed as [outer, dim, inner] and n indices;
// an index outside [0, dim) gives a 0 word (+0, or integer 0), never an out-of-bounds read
// (src/kernels/cpu/gather.ts). 32-bit words of any dtype.
// A source larger than one storage binding (outer = 1) is gathered in chunks of rows: x is bound
// from element xBase, a dispatch writes the outputs whose index is in [rowBegin, rowEnd), and the
// first one (writeOthers = 1) also the zeros of out-of-range indices; dispatches run in order.
// Bindings: 0 x (read), 1 ids (read, i32), 2 out (read_write), 3 params.
// Dispatch: ceil(total / WG) workgroups, x*y*z grid; one element each. Reduction order: none.

override WG: u32 = 256u;

struct Params {
  total: u32,
  dim: u32,
  n: u32,
  inner: u32,
  rowBegin: u32,
  rowEnd: u32,
  xBase: u32,
  writeOthers: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.total) {
    return;
  }
  let j = i % params.inner;
  let t = i / params.inner;
  let k = t % params.n;
  let o = t / params.n;
  let r = ids[k];
  if (r >= 0i && u32(r) >= params.rowBegin && u32(r) < params.rowEnd) {
    out[i] = x[(o * params.dim + u32(r)) * params.inner + j - params.xBase];
  } else if (params.writeOthers != 0u && (r < 0i || u32(r) >= params.dim)) {
    out[i] = 0u;
  }
}
