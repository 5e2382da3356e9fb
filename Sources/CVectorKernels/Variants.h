// The kernels' variants, one set per level; Dispatch.c calls the one the level names.
#ifndef CVECTORKERNELS_VARIANTS_H
#define CVECTORKERNELS_VARIANTS_H

#include "CVectorKernels.h"

#define TB_DECLARE_VARIANTS(suffix)                                                          \
    void tb_adam_step_##suffix(                                                              \
        float *parameter, const float *gradient, float *first_moment, float *second_moment, \
        ptrdiff_t count, float first_weight, float second_weight, float scale,              \
        float epsilon);                                                                      \
    void tb_relu_in_place_##suffix(float *values, ptrdiff_t count);                          \
    void tb_relu_backward_##suffix(                                                          \
        const float *gradient, const float *output, float *target, ptrdiff_t count);        \
    void tb_add_rows_##suffix(                                                               \
        float *sums, const float *rows, ptrdiff_t row_count, ptrdiff_t columns);            \
    void tb_bytes_to_floats_##suffix(                                                        \
        const uint8_t *bytes, float *target, ptrdiff_t count, float divisor, float mean,    \
        float deviation, int normalize);                                                    \
    void tb_im2col_##suffix(                                                                 \
        const TBWindow *window, const float *image, float *columns, ptrdiff_t pitch);       \
    void tb_col2im_##suffix(                                                                 \
        const TBWindow *window, const float *columns, ptrdiff_t pitch, float *image);       \
    void tb_max_pool_2x2_##suffix(                                                           \
        const float *input, ptrdiff_t width, float *output, ptrdiff_t output_height,        \
        ptrdiff_t output_width);                                                             \
    void tb_max_pool_2x2_backward_##suffix(                                                  \
        const float *input, ptrdiff_t width, const float *output, const float *gradient,    \
        float *target, ptrdiff_t output_height, ptrdiff_t output_width);                 \
    void tb_max_pool_2x2_argmax_##suffix(                                                    \
        const float *input, ptrdiff_t width, float *output, float *codes,                   \
        ptrdiff_t output_height, ptrdiff_t output_width, int positive_only);                \
    void tb_max_pool_2x2_scatter_##suffix(                                                   \
        const float *codes, const float *gradient, float *target, ptrdiff_t width,          \
        ptrdiff_t output_height, ptrdiff_t output_width);                                   \
    void tb_max_pool_2x2_argmax_blocked16_##suffix(                                          \
        const float *input, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width,          \
        float *output, float *codes, int positive_only);                                    \
    void tb_max_pool_2x2_scatter_blocked16_##suffix(                                         \
        const float *codes, const float *gradient, float *target, ptrdiff_t channels,       \
        ptrdiff_t height, ptrdiff_t width);

TB_DECLARE_VARIANTS(scalar)
#if defined(__x86_64__)
TB_DECLARE_VARIANTS(avx2)
TB_DECLARE_VARIANTS(avx512)
#endif

#endif
