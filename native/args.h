/*
 * The argument and error helpers of the native addon's entry points (defined in args.c), which every
 * kernel file (gemm.c, philox.c, pool.c, colsum.c, conv.c, convfilter.c) uses. The addon (native/build/ditto_native.node,
 * built by scripts/build-native.mjs from addon.c, args.c and the kernel files) is loaded by
 * src/kernels/cpu/native-addon.ts.
 */
#ifndef DITTO_NATIVE_ARGS_H
#define DITTO_NATIVE_ARGS_H
#include <node_api.h>
#include <stdint.h>

#define DN_MAX_ARGS 16

/* Exactly `want` arguments into argv; else throws a TypeError naming fn and returns 0. */
int dn_args(napi_env env, napi_callback_info info, const char *fn, size_t want, napi_value *argv);
/* argv[i] as an int32 into *v; else throws a TypeError naming fn and returns 0. */
int dn_int(napi_env env, const char *fn, napi_value arg, int64_t *v);
/* n int32 arguments from argv into v (dn_int each); 0 after the first that is not a number. */
int dn_ints(napi_env env, const char *fn, const napi_value *argv, size_t n, int64_t *v);
/* A Float32Array's data and length; else throws a TypeError naming fn and returns 0. */
int dn_f32(napi_env env, const char *fn, napi_value arg, float **data, int64_t *length);
/* An Int32Array's data and length; else throws a TypeError naming fn and returns 0. */
int dn_i32(napi_env env, const char *fn, napi_value arg, int32_t **data, int64_t *length);
/* Throws RangeError("ditto_native.<fn>: <why>"); returns NULL for the caller to return. */
napi_value dn_fail(napi_env env, const char *fn, const char *why);
/* exports[name] = a function calling cb. */
void dn_export(napi_env env, napi_value exports, const char *name, napi_callback cb);
#endif
