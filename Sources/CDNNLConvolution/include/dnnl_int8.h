#pragma once
// oneDNN's int8 matrix products, through libdnnl loaded on first use (dnnl_library.h): the
// same arguments and status as `dnnl_gemm_u8s8s32` and `dnnl_gemm_s8s8s32`, or
// `dnnl_runtime_error` when libdnnl cannot be loaded (`tb_dnnl_load_error` says why). Plain C
// types (`int64_t` is int64_t, a status 0 is `dnnl_success`), so that Swift needs no oneDNN
// header.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `dnnl_gemm_u8s8s32`: C = alpha · (A − ao)(B − bo) + beta · C + co, A uint8, B int8.
int tb_dnnl_gemm_u8s8s32(
    char transa, char transb, char offsetc, int64_t M, int64_t N, int64_t K, float alpha,
    const uint8_t *A, int64_t lda, uint8_t ao, const int8_t *B, int64_t ldb, int8_t bo,
    float beta, int32_t *C, int64_t ldc, const int32_t *co);

/// `dnnl_gemm_s8s8s32`: the same with A int8.
int tb_dnnl_gemm_s8s8s32(
    char transa, char transb, char offsetc, int64_t M, int64_t N, int64_t K, float alpha,
    const int8_t *A, int64_t lda, int8_t ao, const int8_t *B, int64_t ldb, int8_t bo,
    float beta, int32_t *C, int64_t ldc, const int32_t *co);

/// Why libdnnl could not be loaded ("" when it is loaded); loads it if it was not yet (once per
/// process: a failure is permanent). TRAINBOOK_DNNL_LIBRARY, a test and diagnostic hook, names
/// the file to load instead of libdnnl's soname.
const char *tb_dnnl_load_error(void);

#ifdef __cplusplus
}
#endif
