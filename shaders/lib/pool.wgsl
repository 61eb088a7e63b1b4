// requires: lib/float-bits
// Window geometry of 2-D pooling, NHWC (no bindings, no entry point): the valid rows and columns
// of output (oh, ow)'s window, as the CPU's `bounds` (src/kernels/cpu/pool.ts), and the first
// maximum of a window (scan row-major over valid elements; a candidate wins when strictly
// greater, or NaN while the best is not: NaN is tested from the bits).

struct PoolGeom {
  H: u32,
  W: u32,
  C: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  mode: u32,
}

// (h0, h1, w0, w1): rows [h0, h1) and columns [w0, w1) of the input inside the window.
fn pool_bounds(g: PoolGeom, oh: u32, ow: u32) -> vec4<u32> {
  let hs = i32(oh * g.sH) - i32(g.padTop);
  let ws = i32(ow * g.sW) - i32(g.padLeft);
  let h0 = u32(max(hs, 0i));
  let h1 = u32(clamp(hs + i32(g.kH), 0i, i32(g.H)));
  let w0 = u32(max(ws, 0i));
  let w1 = u32(clamp(ws + i32(g.kW), 0i, i32(g.W)));
  return vec4<u32>(h0, max(h1, h0), w0, max(w1, w0));
}

// Whether candidate v (float32 bits) replaces the window's running maximum `best` in the scan:
// the first element always, then a NaN or a strictly greater value while best is not NaN
// (compared on the bits, lib/float-bits f32_lt, so a driver's subnormal flushing cannot alter it).
fn pool_takes(found: bool, best: u32, v: u32) -> bool {
  if (!found) {
    return true;
  }
  return !is_nan_bits(best) && (is_nan_bits(v) || f32_lt(best, v));
}
