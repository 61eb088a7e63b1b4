// requires: lib/float-bits
// matmul: batched C[b, m, n] = S(A[b, m, k] * B[b, k, n], k) with general element strides, so the
// transpose flags, batch broadcasting (batch stride 0) and the convolutions' patch matrices
// need no copies (src/kernels/cpu/gemm.ts for the CPU side).
// Each invocation computes a 4x4 block of outputs; for every output it follows the engine's
// summation tree (src/core/reduction-order.ts) over the k-range [g*G, min(K, (g+1)*G)) in the
// two-level streaming form: chunk = +0 plus f32(a*b) for 256 consecutive k in order, total = +0
// plus the chunk sums in order; every product and sum is rounded to f32 separately (the self-test
// checks that the driver does not contract a*b+c into an FMA). With one k-group (G = K <= 65536)
// the result is S itself; with mg > 1 groups (G = 256 or 65536) it is a tree level, written to a
// partial buffer at g*partStride + index, that the host finishes with reduce-sum passes.
// Products go through `rounded4` (lib/float-bits): a no-op unless the pipeline is created with
// EXACT_GUARD (drivers found to contract a*b+c into an FMA).
// Bindings: 0 a (read, f32), 1 b (read, f32), 2 out (read_write, f32), 3 params.
// Dispatch: (ceil(N/32), ceil(M/32), batches*mg) workgroups of 8x8 invocations, z = batch*mg + g;
// the host splits z beyond maxComputeWorkgroupsPerDimension with batchBase.

const SUM_CHUNK: u32 = 256u;

struct Params {
  bshape: vec4<u32>,
  aBS: vec4<u32>,
  bBS: vec4<u32>,
  M: u32,
  N: u32,
  K: u32,
  G: u32,
  mg: u32,
  batchBase: u32,
  aOff: u32,
  bOff: u32,
  sAm: u32,
  sAk: u32,
  sBk: u32,
  sBn: u32,
  cOff: u32,
  partStride: u32,
  brank: u32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = params.M;
  let N = params.N;
  let n0 = gid.x * 4u;
  let m0 = gid.y * 4u;
  if (m0 >= M || n0 >= N) {
    return;
  }
  let g = wid.z % params.mg;
  let bz = wid.z / params.mg + params.batchBase;
  var rem = bz;
  var aBase = params.aOff;
  var bBase = params.bOff;
  for (var d = i32(params.brank) - 1; d >= 0; d = d - 1) {
    let c = rem % params.bshape[d];
    rem = rem / params.bshape[d];
    aBase = aBase + c * params.aBS[d];
    bBase = bBase + c * params.bBS[d];
  }
  // Rows and columns beyond the matrix are clamped for loading and never stored.
  let mr = min(vec4<u32>(m0, m0 + 1u, m0 + 2u, m0 + 3u), vec4<u32>(M - 1u));
  let nc = min(vec4<u32>(n0, n0 + 1u, n0 + 2u, n0 + 3u), vec4<u32>(N - 1u));
  let ar = vec4<u32>(aBase) + mr * params.sAm;
  let bc = vec4<u32>(bBase) + nc * params.sBn;
  let sAk = params.sAk;
  let sBk = params.sBk;
  let k0 = g * params.G;
  let k1 = min(params.K, k0 + params.G);
  var t0 = vec4<f32>(0.0);
  var t1 = vec4<f32>(0.0);
  var t2 = vec4<f32>(0.0);
  var t3 = vec4<f32>(0.0);
  for (var c0 = k0; c0 < k1; c0 = c0 + SUM_CHUNK) {
    let c1 = min(k1, c0 + SUM_CHUNK);
    var s0 = vec4<f32>(0.0);
    var s1 = vec4<f32>(0.0);
    var s2 = vec4<f32>(0.0);
    var s3 = vec4<f32>(0.0);
    var pa = ar + vec4<u32>(c0 * sAk);
    var pb = bc + vec4<u32>(c0 * sBk);
    for (var k = c0; k < c1; k = k + 1u) {
      let bv = vec4<f32>(b[pb.x], b[pb.y], b[pb.z], b[pb.w]);
      s0 = s0 + rounded4(a[pa.x] * bv);
      s1 = s1 + rounded4(a[pa.y] * bv);
      s2 = s2 + rounded4(a[pa.z] * bv);
      s3 = s3 + rounded4(a[pa.w] * bv);
      pa = pa + vec4<u32>(sAk);
      pb = pb + vec4<u32>(sBk);
    }
    t0 = t0 + s0;
    t1 = t1 + s1;
    t2 = t2 + s2;
    t3 = t3 + s3;
  }
  let base = params.cOff + g * params.partStride + (bz * M) * N;
  let rows = array<vec4<f32>, 4>(t0, t1, t2, t3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + i;
    if (m < M) {
      let row = base + m * N;
      let v = rows[i];
      for (var jj = 0u; jj < 4u; jj = jj + 1u) {
        if (n0 + jj < N) {
          out[row + n0 + jj] = v[jj];
        }
      }
    }
  }
}
