/**
 * The geometry of a 2-D convolution as the CPU kernels read it: the GEMM jobs of gemm-tasks.ts and the native
 * convolutions of native-conv.ts (which pass it to native/conv.c and native/convfilter.c as integers).
 * Part of src/kernels/cpu: imports nothing.
 */

/** The geometry of a convolution (NHWC input [., inH, inW, C], filter [kH, kW, C, F]). */
export interface ConvGeometry {
  C: number;
  F: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  /** Dilations: tap (kh, kw) reads input row oh*sH + kh*dH - padTop, column likewise (1: the plain convolution). */
  dH: number;
  dW: number;
  sH: number;
  sW: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
}
