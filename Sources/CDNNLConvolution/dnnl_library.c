// libdnnl loaded on first use: see dnnl_library.h.
#include "dnnl_library.h"

#include <dlfcn.h>
#include <dnnl_version.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "dnnl_int8.h"

_Static_assert(sizeof(dnnl_dim_t) == sizeof(int64_t), "dnnl_dim_t is int64_t");

// The soname of the oneDNN whose headers typed the table: libdnnl.so.2 for 2.x.
#define TB_TEXT(x) #x
#define TB_SONAME(major) "libdnnl.so." TB_TEXT(major)

tb_dnnl_functions tb_dnnl;

static pthread_once_t tb_dnnl_once = PTHREAD_ONCE_INIT;
static int tb_dnnl_status = -1;
static char tb_dnnl_error[512] = "";

static void tb_dnnl_open(void) {
    // TRAINBOOK_DNNL_LIBRARY, a test and diagnostic hook, names another file to load instead
    // (a missing one shows what a machine without oneDNN's runtime package does).
    const char *name = getenv("TRAINBOOK_DNNL_LIBRARY");
    if (!name || !*name) name = TB_SONAME(DNNL_VERSION_MAJOR);
    // RTLD_GLOBAL: the OpenMP runtime it brings in must be visible to tb_openmp_set_threads.
    void *library = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(tb_dnnl_error, sizeof tb_dnnl_error,
                 "oneDNN (%s) cannot be loaded: %s; install Debian's libdnnl2 package", name,
                 reason ? reason : "unknown reason");
        return;
    }
#define TB_DNNL_FIND(function)                                                                  \
    tb_dnnl.function = (__typeof__(dnnl_##function) *)dlsym(library, "dnnl_" #function);       \
    if (!tb_dnnl.function) {                                                                    \
        snprintf(tb_dnnl_error, sizeof tb_dnnl_error,                                           \
                 "oneDNN (%s) has no dnnl_" #function                                           \
                 "; oneDNN %d.x is needed (Debian's libdnnl%d package)",                        \
                 name, DNNL_VERSION_MAJOR, DNNL_VERSION_MAJOR);                                 \
        return;                                                                                 \
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

// tb_dnnl_gemm_u8s8s32 and tb_dnnl_gemm_s8s8s32: the same wrapper, A's type apart.
#define TB_DNNL_GEMM(kind, a_type)                                                              \
    int tb_dnnl_gemm_##kind(                                                                    \
        char transa, char transb, char offsetc, int64_t M, int64_t N, int64_t K, float alpha,   \
        const a_type *A, int64_t lda, a_type ao, const int8_t *B, int64_t ldb, int8_t bo,       \
        float beta, int32_t *C, int64_t ldc, const int32_t *co) {                               \
        if (tb_dnnl_load() != 0) return (int)dnnl_runtime_error;                                \
        return (int)tb_dnnl.gemm_##kind(                                                        \
            transa, transb, offsetc, M, N, K, alpha, A, lda, ao, B, ldb, bo, beta, C, ldc, co); \
    }
TB_DNNL_GEMM(u8s8s32, uint8_t)
TB_DNNL_GEMM(s8s8s32, int8_t)
