// Shared index helpers of ditto's compute shaders (no bindings, no entry point).
//  - invocation_index: the linear invocation index over a 3-D grid of 1-D workgroups; the host
//    splits a large dispatch into x * y * z workgroups (each <= maxComputeWorkgroupsPerDimension)
//    and every shader guards `i < n`.
//  - Strided / strided_offsets: element offsets of row-major index i over up to 8 dimensions, for
//    up to 3 operands at once (broadcasting, transposes, slices); the host merges dimensions first
//    so the rank is as small as possible, and a rank-1 iteration needs no division.
//    Large tensors are processed in chunks whose operands are bound as windows of their buffers
//    (a storage binding may not exceed maxStorageBufferBindingSize): local index i is global index
//    origin.x + i, and each operand's offset is relative to its window start bases.xyz (the
//    output window of a contiguous result starts at bases.w). u32 arithmetic wraps, so the
//    differences are exact.

fn invocation_index(wid: vec3<u32>, nwg: vec3<u32>, lidx: u32, wg: u32) -> u32 {
  return ((wid.z * nwg.y + wid.y) * nwg.x + wid.x) * wg + lidx;
}

// Shape of the iteration (dims 0..7 in shape[0].xyzw, shape[1].xyzw) and the element strides of
// three operands along each dimension (0 where an operand is broadcast).
struct Strided {
  shape: array<vec4<u32>, 2>,
  s0: array<vec4<u32>, 2>,
  s1: array<vec4<u32>, 2>,
  s2: array<vec4<u32>, 2>,
  origin: vec4<u32>,
  bases: vec4<u32>,
}

// Global row-major index of local index i.
fn strided_global(i: u32, st: Strided) -> u32 {
  return i + st.origin.x;
}

// Offsets of the three operands for local index i, relative to their windows.
fn strided_offsets(i: u32, rank: u32, st: Strided) -> vec3<u32> {
  var s = st;
  let gi = i + s.origin.x;
  if (rank == 1u) {
    return gi * vec3<u32>(s.s0[0].x, s.s1[0].x, s.s2[0].x) - s.bases.xyz;
  }
  var rem = gi;
  var off = vec3<u32>(0u, 0u, 0u);
  for (var d = i32(rank) - 1; d >= 0; d = d - 1) {
    let q = u32(d) >> 2u;
    let r = u32(d) & 3u;
    let n = s.shape[q][r];
    let c = rem % n;
    rem = rem / n;
    off = off + c * vec3<u32>(s.s0[q][r], s.s1[q][r], s.s2[q][r]);
  }
  return off - s.bases.xyz;
}
