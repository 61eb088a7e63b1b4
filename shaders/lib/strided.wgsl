// requires: lib/index
// Strided iteration several elements per invocation (no bindings, no entry point). Unlike
// lib/index.wgsl `strided_offsets`, these read the including shader's uniform `params` (which must
// have fields `st: Strided` and `rank: u32`) in place, so no copy of the Strided struct is made
// per invocation, and rank 1 and 2 (most broadcasts after dimension merging) need at most one
// division. An invocation handles E consecutive elements: offsets of its first element from
// `st_offsets`, then the innermost strides are added (`st_inner`), recomputing only when the
// innermost coordinate wraps.

// Offsets of operands 0..2 for local index i, relative to their windows.
fn st_offsets(i: u32) -> vec3<u32> {
  let gi = i + params.st.origin.x;
  let r = params.rank;
  let bases = params.st.bases.xyz;
  if (r <= 1u) {
    return gi * vec3<u32>(params.st.s0[0].x, params.st.s1[0].x, params.st.s2[0].x) - bases;
  }
  if (r == 2u) {
    let d1 = params.st.shape[0].y;
    let c1 = gi % d1;
    let c0 = gi / d1;
    return c0 * vec3<u32>(params.st.s0[0].x, params.st.s1[0].x, params.st.s2[0].x) + c1 * vec3<u32>(params.st.s0[0].y, params.st.s1[0].y, params.st.s2[0].y) - bases;
  }
  var rem = gi;
  var off = vec3<u32>(0u, 0u, 0u);
  for (var d = i32(r) - 1; d >= 0; d = d - 1) {
    let q = u32(d) >> 2u;
    let k = u32(d) & 3u;
    let n = params.st.shape[q][k];
    let c = rem % n;
    rem = rem / n;
    off = off + c * vec3<u32>(params.st.s0[q][k], params.st.s1[q][k], params.st.s2[q][k]);
  }
  return off - bases;
}

// The innermost dimension: (size, stride of operand 0, 1, 2); size 1 and strides 0 at rank 0.
fn st_inner() -> vec4<u32> {
  if (params.rank == 0u) {
    return vec4<u32>(1u, 0u, 0u, 0u);
  }
  let d = params.rank - 1u;
  let q = d >> 2u;
  let k = d & 3u;
  return vec4<u32>(params.st.shape[q][k], params.st.s0[q][k], params.st.s1[q][k], params.st.s2[q][k]);
}

// The innermost coordinate of local index i.
fn st_inner_coord(i: u32, size: u32) -> u32 {
  return (i + params.st.origin.x) % size;
}

// Output position of local index i in a contiguous output window.
fn st_out(i: u32) -> u32 {
  return i + params.st.origin.x - params.st.bases.w;
}
