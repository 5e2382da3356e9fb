// libdnnl loaded on first use: see dnnl_library.h.
#include "dnnl_library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "dnnl_int8.h"

_Static_assert(sizeof(dnnl_dim_t) == sizeof(int64_t), "dnnl_dim_t is int64_t");

tb_dnnl_functions tb_dnnl;

static pthread_once_t tb_dnnl_once = PTHREAD_ONCE_INIT;
static int tb_dnnl_status = -1;
static char tb_dnnl_error[512] = "";

static void tb_dnnl_open(void) {
    // RTLD_GLOBAL: the OpenMP runtime it brings in must be visible to tb_openmp_set_threads.
    void *library = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(tb_dnnl_error, sizeof tb_dnnl_error, "oneDNN (libdnnl.so.2) cannot be loaded: %s",
                 reason ? reason : "unknown reason");
        return;
    }
#define TB_DNNL_FIND(name)                                                                        \
    tb_dnnl.name = (__typeof__(dnnl_##name) *)dlsym(library, "dnnl_" #name);                  \
    if (!tb_dnnl.name) {                                                                          \
        snprintf(tb_dnnl_error, sizeof tb_dnnl_error,                                             \
                 "oneDNN (libdnnl.so.2) has no dnnl_" #name "; libdnnl-dev 2.x is needed");       \
        return;                                                                                   \
    }
    TB_DNNL_FUNCTIONS(TB_DNNL_FIND)
#undef TB_DNNL_FIND
    tb_dnnl_status = 0;
}

int tb_dnnl_load(void) {
    pthread_once(&tb_dnnl_once, tb_dnnl_open);
    return tb_dnnl_status;
}

const char *tb_dnnl_load_error(void) {
    return tb_dnnl_load() == 0 ? "" : tb_dnnl_error;
}

int tb_dnnl_gemm_u8s8s32(char transa, char transb, char offsetc, int64_t M,
                                   int64_t N, int64_t K, float alpha, const uint8_t *A,
                                   int64_t lda, uint8_t ao, const int8_t *B, int64_t ldb,
                                   int8_t bo, float beta, int32_t *C, int64_t ldc,
                                   const int32_t *co) {
    if (tb_dnnl_load() != 0) return (int)dnnl_runtime_error;
    return (int)tb_dnnl.gemm_u8s8s32(transa, transb, offsetc, M, N, K, alpha, A, lda, ao, B, ldb, bo,
                                beta, C, ldc, co);
}

int tb_dnnl_gemm_s8s8s32(char transa, char transb, char offsetc, int64_t M,
                                   int64_t N, int64_t K, float alpha, const int8_t *A,
                                   int64_t lda, int8_t ao, const int8_t *B, int64_t ldb,
                                   int8_t bo, float beta, int32_t *C, int64_t ldc,
                                   const int32_t *co) {
    if (tb_dnnl_load() != 0) return (int)dnnl_runtime_error;
    return (int)tb_dnnl.gemm_s8s8s32(transa, transb, offsetc, M, N, K, alpha, A, lda, ao, B, ldb, bo,
                                beta, C, ldc, co);
}
