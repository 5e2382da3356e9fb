#pragma once
// oneDNN's functions as this target calls them: through pointers filled when libdnnl is loaded,
// on first use (tb_dnnl_load), rather than linked. Loading oneDNN (a large C++ library, with
// OpenCL's loader and OpenMP's runtime) at process start cost every `trainbook` start, the
// kernel's included, although most sessions never convolve.
#include <dnnl.h>

#define TB_DNNL_FUNCTIONS(X)                                                                 \
    X(dilated_convolution_backward_data_desc_init)                                           \
    X(dilated_convolution_backward_weights_desc_init)                                        \
    X(dilated_convolution_forward_desc_init)                                                 \
    X(engine_create)                                                                         \
    X(gemm_s8s8s32)                                                                          \
    X(gemm_u8s8s32)                                                                          \
    X(memory_create)                                                                         \
    X(memory_desc_equal)                                                                     \
    X(memory_desc_get_size)                                                                  \
    X(memory_desc_init_by_tag)                                                               \
    X(memory_destroy)                                                                        \
    X(post_ops_append_eltwise)                                                               \
    X(post_ops_create)                                                                       \
    X(post_ops_destroy)                                                                      \
    X(primitive_attr_create)                                                                 \
    X(primitive_attr_destroy)                                                                \
    X(primitive_attr_get_scratchpad_mode)                                                    \
    X(primitive_attr_set_post_ops)                                                           \
    X(primitive_attr_set_scratchpad_mode)                                                    \
    X(primitive_create)                                                                      \
    X(primitive_desc_create)                                                                 \
    X(primitive_desc_destroy)                                                                \
    X(primitive_desc_get_attr)                                                               \
    X(primitive_desc_query)                                                                  \
    X(primitive_desc_query_md)                                                               \
    X(primitive_destroy)                                                                     \
    X(primitive_execute)                                                                     \
    X(primitive_get_primitive_desc)                                                          \
    X(reorder_primitive_desc_create)                                                         \
    X(stream_create)                                                                         \
    X(stream_destroy)                                                                        \
    X(stream_wait)

/// oneDNN's functions (`tb_dnnl.engine_create` is `dnnl_engine_create`), valid after
/// `tb_dnnl_load()` returned 0.
typedef struct {
#define TB_DNNL_POINTER(name) __typeof__(dnnl_##name) *name;
    TB_DNNL_FUNCTIONS(TB_DNNL_POINTER)
#undef TB_DNNL_POINTER
} tb_dnnl_functions;

extern tb_dnnl_functions tb_dnnl;

/// Loads libdnnl and fills `tb_dnnl` (once, from any thread): 0 when it is loaded, -1 when it
/// cannot be (see `tb_dnnl_load_error`).
int tb_dnnl_load(void);
