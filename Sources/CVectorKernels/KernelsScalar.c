// The scalar variants: plain loops the compiler vectorizes for baseline x86-64 (SSE2), the same
// operations in the same order as the Swift references. The vector variants finish their
// tails (fewer elements than a vector) with these, so every level gives the same bits.
#include "Variants.h"

// No fused multiply-add: a·b + c must round twice, as Swift computes it.
#pragma clang fp contract(off)

void tb_adam_step_scalar(
    float *restrict parameter, const float *restrict gradient, float *restrict first_moment,
    float *restrict second_moment, ptrdiff_t count, float first_weight, float second_weight,
    float scale, float epsilon) {
    for (ptrdiff_t i = 0; i < count; i++) {
        float g = gradient[i];
        float first = first_moment[i] + first_weight * (g - first_moment[i]);
        float second = second_moment[i] + second_weight * (g * g - second_moment[i]);
        first_moment[i] = first;
        second_moment[i] = second;
        parameter[i] = parameter[i] + scale * first / (__builtin_sqrtf(second) + epsilon);
    }
}

void tb_relu_in_place_scalar(float *values, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) values[i] = values[i] > 0 ? values[i] : 0;
}

void tb_relu_backward_scalar(
    const float *restrict gradient, const float *restrict output, float *restrict target,
    ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) target[i] = output[i] > 0 ? gradient[i] : 0;
}

void tb_add_rows_scalar(
    float *restrict sums, const float *restrict rows, ptrdiff_t row_count, ptrdiff_t columns) {
    for (ptrdiff_t r = 0; r < row_count; r++) {
        const float *row = rows + r * columns;
        for (ptrdiff_t c = 0; c < columns; c++) sums[c] += row[c];
    }
}

void tb_bytes_to_floats_scalar(
    const uint8_t *restrict bytes, float *restrict target, ptrdiff_t count, float divisor,
    float mean, float deviation, int normalize) {
    if (normalize) {
        for (ptrdiff_t i = 0; i < count; i++)
            target[i] = ((float)bytes[i] / divisor - mean) / deviation;
    } else {
        for (ptrdiff_t i = 0; i < count; i++) target[i] = (float)bytes[i] / divisor;
    }
}

// Plain runs for the scalar im2col and col2im.
static inline void tb_run_copy(
    float *restrict target, const float *restrict source, ptrdiff_t n, const float *target_end,
    const float *source_end) {
    (void)target_end;
    (void)source_end;
    for (ptrdiff_t k = 0; k < n; k++) target[k] = source[k];
}

static inline void tb_run_add(
    float *restrict target, const float *restrict source, ptrdiff_t n, const float *target_end,
    const float *source_end) {
    (void)target_end;
    (void)source_end;
    for (ptrdiff_t k = 0; k < n; k++) target[k] += source[k];
}

static inline void tb_run_zero(float *target, ptrdiff_t n, const float *target_end) {
    (void)target_end;
    for (ptrdiff_t k = 0; k < n; k++) target[k] = 0;
}

#define TB_TARGET
#define TB_NAME(name) name##_scalar
#include "WindowLoops.inc"

/// Swift's max(x, y): y when y >= x, else x (so x when either is NaN).
static inline float tb_swift_max(float x, float y) { return y >= x ? y : x; }

void tb_max_pool_2x2_scalar(
    const float *restrict input, ptrdiff_t width, float *restrict output,
    ptrdiff_t output_height, ptrdiff_t output_width) {
    for (ptrdiff_t oy = 0; oy < output_height; oy++) {
        const float *top = input + 2 * oy * width;
        const float *bottom = top + width;
        float *out = output + oy * output_width;
        for (ptrdiff_t ox = 0; ox < output_width; ox++) {
            float upper = tb_swift_max(top[2 * ox], top[2 * ox + 1]);
            float lower = tb_swift_max(bottom[2 * ox], bottom[2 * ox + 1]);
            out[ox] = tb_swift_max(upper, lower);
        }
    }
}

void tb_max_pool_2x2_backward_scalar(
    const float *restrict input, ptrdiff_t width, const float *restrict output,
    const float *restrict gradient, float *restrict target, ptrdiff_t output_height,
    ptrdiff_t output_width) {
    for (ptrdiff_t oy = 0; oy < output_height; oy++) {
        const ptrdiff_t top = 2 * oy * width, bottom = top + width;
        for (ptrdiff_t ox = 0; ox < output_width; ox++) {
            const ptrdiff_t index = oy * output_width + ox;
            const float maximum = output[index], g = gradient[index];
            const ptrdiff_t p0 = top + 2 * ox, p1 = p0 + 1, p2 = bottom + 2 * ox;
            // The first element equal to the maximum takes the gradient, the others an exact
            // 0 (selected, not multiplied: a NaN or infinite gradient stays with the winner).
            const int w0 = input[p0] == maximum;
            const int w1 = !w0 && input[p1] == maximum;
            const int w2 = !w0 && !w1 && input[p2] == maximum;
            target[p0] = w0 ? g : 0.0f;
            target[p1] = w1 ? g : 0.0f;
            target[p2] = w2 ? g : 0.0f;
            target[p2 + 1] = !w0 && !w1 && !w2 ? g : 0.0f;
        }
    }
}

void tb_max_pool_2x2_argmax_scalar(
    const float *restrict input, ptrdiff_t width, float *restrict output, float *restrict codes,
    ptrdiff_t output_height, ptrdiff_t output_width, int positive_only) {
    for (ptrdiff_t oy = 0; oy < output_height; oy++) {
        const float *top = input + 2 * oy * width;
        const float *bottom = top + width;
        for (ptrdiff_t ox = 0; ox < output_width; ox++) {
            const float x0 = top[2 * ox], x1 = top[2 * ox + 1];
            const float x2 = bottom[2 * ox], x3 = bottom[2 * ox + 1];
            const float maximum = tb_swift_max(tb_swift_max(x0, x1), tb_swift_max(x2, x3));
            float code = x0 == maximum ? 0.0f : x1 == maximum ? 1.0f : x2 == maximum ? 2.0f : 3.0f;
            // ReLU's derivative from the winning element (x3 when a NaN maximum equals none).
            const float winner = code == 3.0f ? x3 : maximum;
            if (positive_only && !(winner > 0)) code = 4.0f;
            output[oy * output_width + ox] = maximum;
            codes[oy * output_width + ox] = code;
        }
    }
}

void tb_max_pool_2x2_scatter_scalar(
    const float *restrict codes, const float *restrict gradient, float *restrict target,
    ptrdiff_t width, ptrdiff_t output_height, ptrdiff_t output_width) {
    for (ptrdiff_t oy = 0; oy < output_height; oy++) {
        const ptrdiff_t top = 2 * oy * width, bottom = top + width;
        for (ptrdiff_t ox = 0; ox < output_width; ox++) {
            const ptrdiff_t index = oy * output_width + ox;
            const float code = codes[index], g = gradient[index];
            target[top + 2 * ox] = code == 0.0f ? g : 0.0f;
            target[top + 2 * ox + 1] = code == 1.0f ? g : 0.0f;
            target[bottom + 2 * ox] = code == 2.0f ? g : 0.0f;
            target[bottom + 2 * ox + 1] = code == 3.0f ? g : 0.0f;
        }
    }
}

void tb_max_pool_2x2_argmax_blocked16_scalar(
    const float *restrict input, ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width,
    float *restrict output, float *restrict codes, int positive_only) {
    const ptrdiff_t output_height = height / 2, output_width = width / 2;
    const ptrdiff_t pooled = output_height * output_width;
    for (ptrdiff_t block = 0; block < channels / 16; block++) {
        const float *plane = input + block * height * width * 16;
        for (ptrdiff_t oy = 0; oy < output_height; oy++) {
            for (ptrdiff_t ox = 0; ox < output_width; ox++) {
                const float *top = plane + (2 * oy * width + 2 * ox) * 16;
                const float *bottom = top + width * 16;
                for (ptrdiff_t k = 0; k < 16; k++) {
                    const float x0 = top[k], x1 = top[16 + k], x2 = bottom[k];
                    const float x3 = bottom[16 + k];
                    const float maximum =
                        tb_swift_max(tb_swift_max(x0, x1), tb_swift_max(x2, x3));
                    float code = x0 == maximum ? 0.0f
                        : x1 == maximum        ? 1.0f
                        : x2 == maximum        ? 2.0f
                                               : 3.0f;
                    // ReLU's derivative from the winning element (x3 when a NaN maximum
                    // equals none).
                    const float winner = code == 3.0f ? x3 : maximum;
                    if (positive_only && !(winner > 0)) code = 4.0f;
                    const ptrdiff_t index = (block * 16 + k) * pooled + oy * output_width + ox;
                    output[index] = maximum;
                    codes[index] = code;
                }
            }
        }
    }
}

void tb_max_pool_2x2_scatter_blocked16_scalar(
    const float *restrict codes, const float *restrict gradient, float *restrict target,
    ptrdiff_t channels, ptrdiff_t height, ptrdiff_t width) {
    const ptrdiff_t output_height = height / 2, output_width = width / 2;
    const ptrdiff_t pooled = output_height * output_width;
    for (ptrdiff_t block = 0; block < channels / 16; block++) {
        float *plane = target + block * height * width * 16;
        for (ptrdiff_t y = 0; y < height; y++) {
            for (ptrdiff_t x = 0; x < width; x++) {
                float *pixel = plane + (y * width + x) * 16;
                const ptrdiff_t oy = y / 2, ox = x / 2;
                const int covered = oy < output_height && ox < output_width;
                const float position = (float)((y % 2) * 2 + x % 2);
                for (ptrdiff_t k = 0; k < 16; k++) {
                    const ptrdiff_t index = (block * 16 + k) * pooled + oy * output_width + ox;
                    pixel[k] = covered && codes[index] == position ? gradient[index] : 0.0f;
                }
            }
        }
    }
}
