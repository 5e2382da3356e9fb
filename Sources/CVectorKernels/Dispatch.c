// Which variant runs: the widest level the CPU and the operating system support, found once
// from CPUID and XGETBV (an AVX-512 CPU whose OS does not save the 512-bit registers gets AVX2),
// lowered by TRAINBOOK_SIMD or tb_vector_select_level. Every level computes the same bits, so
// changing it while other threads run kernels is harmless.
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "Variants.h"

#if defined(__x86_64__)
#include <cpuid.h>

/// XCR0: which register states the operating system saves on a context switch.
static uint64_t saved_register_states(void) {
    uint32_t low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((uint64_t)high << 32) | low;
}

static TBVectorLevel detect_level(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return TBVectorLevelScalar;
    if (!(ecx & bit_OSXSAVE) || !(ecx & bit_AVX)) return TBVectorLevelScalar;
    uint64_t states = saved_register_states();
    // SSE and AVX (YMM) state.
    if ((states & 0x6) != 0x6) return TBVectorLevelScalar;
    if (__get_cpuid_max(0, NULL) < 7) return TBVectorLevelScalar;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    if (!(ebx & bit_AVX2)) return TBVectorLevelScalar;
    // Opmask, upper ZMM0-15 and ZMM16-31 state as well.
    if ((ebx & bit_AVX512F) && (states & 0xe6) == 0xe6) return TBVectorLevelAVX512;
    return TBVectorLevelAVX2;
}
#else
static TBVectorLevel detect_level(void) { return TBVectorLevelScalar; }
#endif

/// The supported level, or -1 before the first call.
static _Atomic int supported = -1;
/// The level in use, or -1 before the first call.
static _Atomic int current = -1;

TBVectorLevel tb_vector_supported_level(void) {
    int level = atomic_load_explicit(&supported, memory_order_relaxed);
    if (level < 0) {
        level = (int)detect_level();
        atomic_store_explicit(&supported, level, memory_order_relaxed);
    }
    return (TBVectorLevel)level;
}

/// The level TRAINBOOK_SIMD asks for, or the supported one when unset or unknown.
static TBVectorLevel requested_level(void) {
    const char *text = getenv("TRAINBOOK_SIMD");
    if (text == NULL) return tb_vector_supported_level();
    if (strcmp(text, "scalar") == 0) return TBVectorLevelScalar;
    if (strcmp(text, "avx2") == 0) return TBVectorLevelAVX2;
    if (strcmp(text, "avx512") == 0) return TBVectorLevelAVX512;
    return tb_vector_supported_level();
}

TBVectorLevel tb_vector_select_level(TBVectorLevel level) {
    TBVectorLevel best = tb_vector_supported_level();
    int chosen = (int)(level < TBVectorLevelScalar ? TBVectorLevelScalar
                       : level > best              ? best
                                                   : level);
    atomic_store_explicit(&current, chosen, memory_order_relaxed);
    return (TBVectorLevel)chosen;
}

TBVectorLevel tb_vector_level(void) {
    int level = atomic_load_explicit(&current, memory_order_relaxed);
    if (level < 0) return tb_vector_select_level(requested_level());
    return (TBVectorLevel)level;
}

#if defined(__x86_64__)
#define TB_DISPATCH(name, ...)                                                  \
    switch (tb_vector_level()) {                                                \
        case TBVectorLevelAVX512: name##_avx512(__VA_ARGS__); return;           \
        case TBVectorLevelAVX2: name##_avx2(__VA_ARGS__); return;               \
        default: name##_scalar(__VA_ARGS__); return;                            \
    }
#else
#define TB_DISPATCH(name, ...) name##_scalar(__VA_ARGS__)
#endif

void tb_adam_step(
    float *parameter, const float *gradient, float *first_moment, float *second_moment,
    ptrdiff_t count, float first_weight, float second_weight, float scale, float epsilon) {
    TB_DISPATCH(
        tb_adam_step, parameter, gradient, first_moment, second_moment, count, first_weight,
        second_weight, scale, epsilon);
}

void tb_relu_in_place(float *values, ptrdiff_t count) {
    TB_DISPATCH(tb_relu_in_place, values, count);
}

void tb_relu_backward(
    const float *gradient, const float *output, float *target, ptrdiff_t count) {
    TB_DISPATCH(tb_relu_backward, gradient, output, target, count);
}

void tb_add_rows(float *sums, const float *rows, ptrdiff_t row_count, ptrdiff_t columns) {
    TB_DISPATCH(tb_add_rows, sums, rows, row_count, columns);
}

void tb_bytes_to_floats(
    const uint8_t *bytes, float *target, ptrdiff_t count, float divisor, float mean,
    float deviation, int normalize) {
    TB_DISPATCH(tb_bytes_to_floats, bytes, target, count, divisor, mean, deviation, normalize);
}

void tb_im2col(const TBWindow *window, const float *image, float *columns, ptrdiff_t pitch) {
    TB_DISPATCH(tb_im2col, window, image, columns, pitch);
}

void tb_col2im(const TBWindow *window, const float *columns, ptrdiff_t pitch, float *image) {
    TB_DISPATCH(tb_col2im, window, columns, pitch, image);
}

void tb_max_pool_2x2(
    const float *input, ptrdiff_t width, float *output, ptrdiff_t output_height,
    ptrdiff_t output_width) {
    TB_DISPATCH(tb_max_pool_2x2, input, width, output, output_height, output_width);
}

void tb_max_pool_2x2_backward(
    const float *input, ptrdiff_t width, const float *output, const float *gradient,
    float *target, ptrdiff_t output_height, ptrdiff_t output_width) {
    TB_DISPATCH(
        tb_max_pool_2x2_backward, input, width, output, gradient, target, output_height,
        output_width);
}

void tb_max_pool_2x2_argmax(
    const float *input, ptrdiff_t width, float *output, float *codes, ptrdiff_t output_height,
    ptrdiff_t output_width, int positive_only) {
    TB_DISPATCH(
        tb_max_pool_2x2_argmax, input, width, output, codes, output_height, output_width,
        positive_only);
}

void tb_max_pool_2x2_scatter(
    const float *codes, const float *gradient, float *target, ptrdiff_t width,
    ptrdiff_t output_height, ptrdiff_t output_width) {
    TB_DISPATCH(
        tb_max_pool_2x2_scatter, codes, gradient, target, width, output_height, output_width);
}

void tb_max_pool_2x2_argmax_blocked16(
    const float *input, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width, float *output,
    float *codes, int positive_only) {
    TB_DISPATCH(
        tb_max_pool_2x2_argmax_blocked16, input, channels, height, width, output, codes,
        positive_only);
}

void tb_max_pool_2x2_scatter_blocked16(
    const float *codes, const float *gradient, float *target, ptrdiff_t channels,
    ptrdiff_t height, ptrdiff_t width) {
    TB_DISPATCH(
        tb_max_pool_2x2_scatter_blocked16, codes, gradient, target, channels, height, width);
}

void tb_prefetch(const void *address, size_t bytes) {
    const char *start = (const char *)address;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(start + offset, 0, 1);
    if (bytes > 0) __builtin_prefetch(start + bytes - 1, 0, 1);
}
