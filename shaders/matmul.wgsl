// requires: lib/float-bits, const/sum-chunk
// matmul: batched C[b, m, n] = S(A[b, m, k] * B[b, k, n], k) with general element strides, so the
// transpose flags and batch broadcasting (batch stride 0) need no copies (src/kernels/cpu/gemm.ts
// for the CPU side).
// Reduction order (src/core/reduction-order.ts): every output follows the engine's summation tree
// over the k-range [g*G, min(K, (g+1)*G)) in the two-level streaming form: chunk = +0 plus
// f32(a*b) for 256 consecutive k in order, total = +0 plus the chunk sums in order; every product
// and sum is rounded to f32 separately (products through `rounded4`, lib/float-bits: a no-op unless
// the pipeline is created with EXACT_GUARD, for drivers found to contract a*b+c into an FMA). With
// one k-group (G = K <= 65536) the result is S itself; with mg > 1 groups (G = 256 or 65536) it is
// a tree level, written to a partial buffer at g*partStride + index, that the host finishes with
// reduce-sum passes.
// Tiling: each invocation computes 8 rows m x 8 columns n (2 vec4 accumulators per row): per k it
// reads 8 words of A and two vec4 of the workgroup's B tile, which is staged in workgroup memory
// in slabs of KS = 256 k rows x 8 columns (8 KB, +0 beyond N). Rows beyond M skip the arithmetic
// (whole SIMD groups of idle invocations cost nothing) and are never stored.
// Bindings: 0 a (read, f32), 1 b (read, f32), 2 out (read_write, f32), 3 params.
// Dispatch: (ceil(ceil(M / 8) / WG), ceil(N / 8), batches*mg) workgroups of WG invocations,
// z = batch*mg + g; the host splits x and z beyond maxComputeWorkgroupsPerDimension (mBase,
// batchBase).

override WG: u32 = 64u;
const TM: u32 = 8u;
const KS: u32 = 256u;

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
  // first row of this dispatch (the host splits x beyond maxComputeWorkgroupsPerDimension)
  mBase: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> bs: array<vec4<f32>, 512>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = params;
  let M = p.M;
  let N = p.N;
  let m0 = p.mBase + (wid.x * WG + lid) * TM;
  let n0 = wid.y * 8u;
  let g = wid.z % p.mg;
  let bz = wid.z / p.mg + p.batchBase;
  var rem = bz;
  var aBase = p.aOff;
  var bBase = p.bOff;
  for (var d = i32(p.brank) - 1; d >= 0; d = d - 1) {
    let c = rem % p.bshape[d];
    rem = rem / p.bshape[d];
    aBase = aBase + c * p.aBS[d];
    bBase = bBase + c * p.bBS[d];
  }
  let live = m0 < M;
  // Rows beyond the matrix are clamped for loading and never stored.
  var ar: array<u32, TM>;
  for (var j = 0u; j < TM; j = j + 1u) {
    ar[j] = aBase + min(m0 + j, M - 1u) * p.sAm;
  }
  var acc: array<vec4<f32>, 16>;
  var tot: array<vec4<f32>, 16>;
  for (var i = 0u; i < 16u; i = i + 1u) {
    acc[i] = vec4<f32>(0.0);
    tot[i] = vec4<f32>(0.0);
  }
  let k0 = g * p.G;
  let k1 = min(p.K, k0 + p.G);
  let sAk = p.sAk;
  var kc = 0u;
  for (var s0 = k0; s0 < k1; s0 = s0 + KS) {
    let s1 = min(k1, s0 + KS);
    // Stage B rows [s0, s1) x columns [n0, n0 + 8) as bs[(k - s0)*2 + h] = columns 4h..4h+3.
    workgroupBarrier();
    for (var i = lid; i < (s1 - s0) * 2u; i = i + WG) {
      let k = s0 + i / 2u;
      let nb = n0 + (i % 2u) * 4u;
      var v = vec4<f32>(0.0);
      for (var h = 0u; h < 4u; h = h + 1u) {
        if (nb + h < N) {
          v[h] = b[bBase + k * p.sBk + (nb + h) * p.sBn];
        }
      }
      bs[i] = v;
    }
    workgroupBarrier();
    if (live) {
      // Runs of k within one summation chunk: the innermost loop has only loads and multiply-adds.
      var k = s0;
      loop {
        if (k >= s1) {
          break;
        }
        let run = min(SUM_CHUNK - kc, s1 - k);
        let kb = (k - s0) * 2u;
        let ak = k * sAk;
        for (var t = 0u; t < run; t = t + 1u) {
          let b0 = bs[kb + 2u * t];
          let b1 = bs[kb + 2u * t + 1u];
          let at = ak + t * sAk;
          for (var j = 0u; j < TM; j = j + 1u) {
            let v = a[ar[j] + at];
            acc[2u * j] = acc[2u * j] + rounded4(v * b0);
            acc[2u * j + 1u] = acc[2u * j + 1u] + rounded4(v * b1);
          }
        }
        k = k + run;
        kc = kc + run;
        if (kc == SUM_CHUNK) {
          kc = 0u;
          for (var i = 0u; i < 16u; i = i + 1u) {
            tot[i] = tot[i] + acc[i];
            acc[i] = vec4<f32>(0.0);
          }
        }
      }
    }
  }
  if (!live) {
    return;
  }
  // total + the last (partial) chunk; a chunk sum is never -0, so +0 + s = s.
  let base = p.cOff + g * p.partStride + (bz * M) * N;
  for (var j = 0u; j < TM; j = j + 1u) {
    let m = m0 + j;
    if (m < M) {
      let v0 = tot[2u * j] + acc[2u * j];
      let v1 = tot[2u * j + 1u] + acc[2u * j + 1u];
      let row = base + m * N + n0;
      for (var h = 0u; h < 4u; h = h + 1u) {
        if (n0 + h < N) {
          out[row + h] = v0[h];
        }
        if (n0 + 4u + h < N) {
          out[row + 4u + h] = v1[h];
        }
      }
    }
  }
}
