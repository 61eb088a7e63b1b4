// requires: lib/index, lib/strided, const/elementwise
// where: out[i] = cond[offC(i)] != 0 ? a[offA(i)] : b[offB(i)], 32-bit words of any dtype,
// the three operands broadcast to the output shape (src/kernels/cpu/binary.ts `where`).
// Large tensors run in chunks with windowed bindings (lib/index.wgsl Strided origin/bases).
// Bindings: 0 cond (read), 1 a (read), 2 b (read), 3 out (read_write), 4 params
// (st.s0: cond strides, st.s1: a strides, st.s2: b strides).
// Dispatch: ceil(ceil(n / E) / WG) workgroups, x*y*z grid; E = 16 consecutive elements per
// invocation (lib/strided.wgsl). Reduction order: none.

override WG: u32 = 256u;

struct Params {
  st: Strided,
  n: u32,
  rank: u32,
}

@group(0) @binding(0) var<storage, read> cond: array<u32>;
@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

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
    out[st_out(i)] = select(b[off.z], a[off.y], cond[off.x] != 0u);
    c = c + 1u;
    if (c == inner.x) {
      c = 0u;
      off = st_offsets(i + 1u);
    } else {
      off = off + inner.yzw;
    }
  }
}
