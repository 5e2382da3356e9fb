// CVectorKernels: Trainbook's hot elementwise loops in C, each in three variants (scalar, AVX2,
// AVX-512) chosen once at start-up from CPUID, so one binary runs its widest vectors on every
// x86-64 machine (Swift compiles for baseline x86-64, i.e. SSE2). Every variant does the same
// IEEE operations in the same order as the Swift reference, so results are equal bit for bit
// whichever variant runs; tests force each level the CPU has and compare.
//
// The level can be forced with TRAINBOOK_SIMD=scalar|avx2|avx512 (never above what the CPU
// and operating system support) or tb_vector_select_level.
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets a kernel variant may use.
typedef enum {
    /// Baseline x86-64 (SSE2), as the compiler vectorizes plain C.
    TBVectorLevelScalar = 0,
    /// AVX2 (256-bit vectors).
    TBVectorLevelAVX2 = 1,
    /// AVX-512 F (512-bit vectors).
    TBVectorLevelAVX512 = 2,
} TBVectorLevel;

/// The widest level this CPU and its operating system support (CPUID and XGETBV).
TBVectorLevel tb_vector_supported_level(void);

/// The level the kernels use now: TRAINBOOK_SIMD's if set and supported, else the supported one.
TBVectorLevel tb_vector_level(void);

/// Makes the kernels use `level`, lowered to the supported level; returns the level now in use.
TBVectorLevel tb_vector_select_level(TBVectorLevel level);

/// One Adam step over `count` elements, in place:
/// m ← m + w1·(g − m); v ← v + w2·(g·g − v); p ← p + scale·m / (√v + epsilon).
void tb_adam_step(
    float *parameter, const float *gradient, float *first_moment, float *second_moment,
    ptrdiff_t count, float first_weight, float second_weight, float scale, float epsilon);

/// values[i] = values[i] > 0 ? values[i] : 0, in place (NaN and −0 become +0).
void tb_relu_in_place(float *values, ptrdiff_t count);

/// target[i] = output[i] > 0 ? gradient[i] : 0 (the ReLU backward read off its output).
void tb_relu_backward(
    const float *gradient, const float *output, float *target, ptrdiff_t count);

/// sums[c] += rows[r·columns + c] for each row r in order (a bias gradient's column sums).
void tb_add_rows(float *sums, const float *rows, ptrdiff_t row_count, ptrdiff_t columns);

/// target[i] = byte / divisor, then (· − mean) / deviation when `normalize` is nonzero: pixels
/// to Float32 as torchvision's ToTensor and Normalize compute them.
void tb_bytes_to_floats(
    const uint8_t *bytes, float *target, ptrdiff_t count, float divisor, float mean,
    float deviation, int normalize);

/// The geometry of a 2-D sliding window (convolution) over one [channels, height, width] image:
/// output position (oy, ox) of kernel offset (i, j) reads input (oy·stride_height −
/// padding_height + i·dilation_height, ox·stride_width − padding_width + j·dilation_width), and
/// positions outside the image read 0.
typedef struct {
    ptrdiff_t channels, height, width;
    ptrdiff_t kernel_height, kernel_width;
    ptrdiff_t stride_height, stride_width;
    ptrdiff_t padding_height, padding_width;
    ptrdiff_t dilation_height, dilation_width;
    ptrdiff_t output_height, output_width;
} TBWindow;

/// Unfolds one image into its column matrix: row (c, i, j) (c·kh·kw + i·kw + j) starts at
/// `columns + row·pitch` and holds the output_height·output_width values that kernel offset
/// reads, 0 in the padding.
void tb_im2col(const TBWindow *window, const float *image, float *columns, ptrdiff_t pitch);

/// Folds a column matrix laid out as tb_im2col writes it back onto `image`, adding each value
/// to the input position it was read from (overlapping windows add up, in row order).
void tb_col2im(const TBWindow *window, const float *columns, ptrdiff_t pitch, float *image);

/// 2×2 max pooling with stride 2 of one [height, width] plane into [height / 2, width / 2]
/// (`output_height`, `output_width`): each output is max(max(top-left, top-right),
/// max(bottom-left, bottom-right)) with max(x, y) = y >= x ? y : x (Swift's max).
void tb_max_pool_2x2(
    const float *input, ptrdiff_t width, float *output, ptrdiff_t output_height,
    ptrdiff_t output_width);

/// The backward of tb_max_pool_2x2 for one plane: each window's first element (top-left,
/// top-right, bottom-left, bottom-right) equal to its `output` takes `gradient`, the others 0,
/// computed as arithmetic on 0/1 hits (so a window with no hit, a NaN maximum, gives the last
/// element the gradient). Writes every input position the windows cover, nothing else.
void tb_max_pool_2x2_backward(
    const float *input, ptrdiff_t width, const float *output, const float *gradient,
    float *target, ptrdiff_t output_height, ptrdiff_t output_width);

/// tb_max_pool_2x2 that also writes, for each window, which element gave the maximum: the
/// first (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) equal to it, as
/// tb_max_pool_2x2_backward finds it (3 when none is), or 4 when `positive_only` is set and
/// the maximum is not above 0 (a ReLU after the pooling would stop its gradient). The codes
/// are floats, one per output.
void tb_max_pool_2x2_argmax(
    const float *input, ptrdiff_t width, float *output, float *codes, ptrdiff_t output_height,
    ptrdiff_t output_width, int positive_only);

/// The backward of tb_max_pool_2x2_argmax for one plane from its `codes`: the element a code
/// names takes `gradient`, the other three of the window exactly 0 (code 4: all four 0).
/// Writes every input position the windows cover, nothing else.
void tb_max_pool_2x2_scatter(
    const float *codes, const float *gradient, float *target, ptrdiff_t width,
    ptrdiff_t output_height, ptrdiff_t output_width);

/// tb_max_pool_2x2_argmax over one image whose [channels, height, width] are laid out nChw16c
/// (oneDNN's blocked layout: blocks of 16 channels, each [height, width, 16]; `channels` a
/// multiple of 16): the maxima and codes go to plain [channels, height / 2, width / 2].
void tb_max_pool_2x2_argmax_blocked16(
    const float *input, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width, float *output,
    float *codes, int positive_only);

/// tb_max_pool_2x2_scatter into one nChw16c image of [channels, height, width] from plain
/// [channels, height / 2, width / 2] codes and gradient: writes every element, the last row
/// and column that no window covers (odd sizes) with 0.
void tb_max_pool_2x2_scatter_blocked16(
    const float *codes, const float *gradient, float *target, ptrdiff_t channels,
    ptrdiff_t height, ptrdiff_t width);

/// Asks the CPU to bring the `bytes` bytes at `address` towards its caches (one prefetch per
/// 64-byte line, no fault if unmapped), so that a later read of memory known in advance (the next
/// batch's rows) hits the cache instead of waiting for DRAM.
void tb_prefetch(const void *address, size_t bytes);

/// Tells the CPU that the calling thread is spinning on a memory location (x86 `pause`, Arm
/// `yield`): the core then spends less power and leaves its shared resources to a hyperthread
/// sibling while waiting, and leaves the spin loop without a memory-order mis-speculation.
static inline void tb_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#ifdef __cplusplus
}
#endif

#endif
