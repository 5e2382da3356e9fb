#include "int8_kernels.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define TB_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define TB_CLONES
#endif

static inline float tb_clampf(float value, float low, float high) {
    return value < low ? low : (value > high ? high : value);
}

TB_CLONES
void tb_quantize_u8(const float *x, uint8_t *q, size_t count, float inverse_scale,
                    int32_t zero_point) {
    const float zp = (float)zero_point;
    for (size_t i = 0; i < count; i++) {
        float level = x[i] * inverse_scale + zp;
        // NaN compares false both ways, so it ends at the zero point below.
        level = level == level ? tb_clampf(level, 0.0f, 255.0f) : zp;
        q[i] = (uint8_t)(int32_t)nearbyintf(level);
    }
}

typedef float tb_float16 __attribute__((ext_vector_type(16)));

TB_CLONES
void tb_min_max(const float *x, size_t count, float *low, float *high) {
    // Sixteen running minima and maxima in one vector; the elementwise builtins are IEEE
    // minNum/maxNum, so NaN is skipped.
    tb_float16 lo = INFINITY, hi = -INFINITY;
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        tb_float16 v;
        memcpy(&v, x + i, sizeof v);
        lo = __builtin_elementwise_min(lo, v);
        hi = __builtin_elementwise_max(hi, v);
    }
    float l = INFINITY, h = -INFINITY;
    for (int j = 0; j < 16; j++) {
        l = fminf(l, lo[j]);
        h = fmaxf(h, hi[j]);
    }
    for (; i < count; i++) {
        l = fminf(l, x[i]);
        h = fmaxf(h, x[i]);
    }
    *low = l;
    *high = h;
}

TB_CLONES
void tb_dequantize_rows(const int32_t *acc, float *y, size_t rows, size_t cols,
                        const float *scales, const float *bias, int relu) {
    for (size_t r = 0; r < rows; r++) {
        const int32_t *a = acc + r * cols;
        float *out = y + r * cols;
        if (bias) {
            if (relu) {
                for (size_t c = 0; c < cols; c++) {
                    float v = (float)a[c] * scales[c] + bias[c];
                    out[c] = v > 0.0f ? v : 0.0f;
                }
            } else {
                for (size_t c = 0; c < cols; c++) out[c] = (float)a[c] * scales[c] + bias[c];
            }
        } else {
            for (size_t c = 0; c < cols; c++) {
                float v = (float)a[c] * scales[c];
                out[c] = relu && v < 0.0f ? 0.0f : v;
            }
        }
    }
}

TB_CLONES
void tb_requantize_rows(const int32_t *acc, uint8_t *out, size_t rows, size_t cols,
                        const float *scales, const float *offsets, int32_t zero_point,
                        int relu) {
    const float zp = (float)zero_point;
    const float low = relu ? zp : 0.0f;
    for (size_t r = 0; r < rows; r++) {
        const int32_t *a = acc + r * cols;
        uint8_t *o = out + r * cols;
        for (size_t c = 0; c < cols; c++) {
            float level = (float)a[c] * scales[c] + offsets[c] + zp;
            level = level == level ? tb_clampf(level, low, 255.0f) : zp;
            o[c] = (uint8_t)(int32_t)nearbyintf(level);
        }
    }
}

// The padded image's height and width: the rows and columns the windows reach.
static inline size_t tb_padded_height(const tb_conv_geometry *g) {
    return (g->output_height - 1) * g->stride_height + (g->kernel_height - 1) * g->dilation_height + 1;
}

static inline size_t tb_padded_width(const tb_conv_geometry *g) {
    return (g->output_width - 1) * g->stride_width + (g->kernel_width - 1) * g->dilation_width + 1;
}

static inline int tb_unit_stride(const tb_conv_geometry *g) {
    return g->stride_height == 1 && g->stride_width == 1;
}

size_t tb_im2col_pitch(const tb_conv_geometry *g) {
    return tb_unit_stride(g) ? tb_padded_width(g) : g->output_width;
}

size_t tb_im2col_scratch_size(const tb_conv_geometry *g) {
    // The last window's row of the padded layout runs (kw - 1)·dw bytes past the image.
    return g->channels * tb_padded_height(g) * tb_padded_width(g) +
           (g->kernel_width - 1) * g->dilation_width;
}

TB_CLONES
void tb_im2col_s8(const uint8_t *image, int8_t *columns, const tb_conv_geometry *g,
                  uint8_t pad_code, int8_t *scratch) {
    const size_t oh = g->output_height, ow = g->output_width;
    const size_t hp = tb_padded_height(g), wp = tb_padded_width(g);
    const size_t h = g->height, w = g->width, top = g->pad_top, left = g->pad_left;
    const size_t plane = oh * tb_im2col_pitch(g);
    // Flipping the top bit maps code q in 0...255 to the int8 q - 128.
    const int8_t pad = (int8_t)(pad_code ^ 0x80);
    // First the padded, shifted image, so that the windows need no bounds checks.
    for (size_t c = 0; c < g->channels; c++) {
        const uint8_t *source = image + c * h * w;
        for (size_t y = 0; y < hp; y++) {
            int8_t *row = scratch + (c * hp + y) * wp;
            if (y < top || y - top >= h) {
                memset(row, (uint8_t)pad, wp);
                continue;
            }
            const uint8_t *line = source + (y - top) * w;
            const size_t start = left < wp ? left : wp;
            const size_t end = left + w < wp ? left + w : wp;
            for (size_t x = 0; x < start; x++) row[x] = pad;
            for (size_t x = start; x < end; x++) row[x] = (int8_t)(line[x - left] ^ 0x80);
            for (size_t x = end; x < wp; x++) row[x] = pad;
        }
    }
    const size_t slack = (g->kernel_width - 1) * g->dilation_width;
    memset(scratch + g->channels * hp * wp, (uint8_t)pad, slack);
    size_t index = 0;
    if (tb_unit_stride(g)) {
        // With unit strides, the windows of tap (c, i, j) over the rows of padded width are one
        // contiguous run of the padded image: output position (oy, x) for x < wp reads
        // padded[c][oy + i·dh][x + j·dw], and the columns x ≥ ow are computed and ignored.
        for (size_t c = 0; c < g->channels; c++) {
            const int8_t *padded = scratch + c * hp * wp;
            for (size_t i = 0; i < g->kernel_height; i++) {
                for (size_t j = 0; j < g->kernel_width; j++, index++) {
                    memcpy(columns + index * plane,
                           padded + i * g->dilation_height * wp + j * g->dilation_width, plane);
                }
            }
        }
        return;
    }
    for (size_t c = 0; c < g->channels; c++) {
        const int8_t *padded = scratch + c * hp * wp;
        for (size_t i = 0; i < g->kernel_height; i++) {
            for (size_t j = 0; j < g->kernel_width; j++, index++) {
                int8_t *target = columns + index * plane;
                for (size_t oy = 0; oy < oh; oy++) {
                    const int8_t *src =
                        padded + (oy * g->stride_height + i * g->dilation_height) * wp +
                        j * g->dilation_width;
                    int8_t *out = target + oy * ow;
                    if (g->stride_width == 1) {
                        for (size_t ox = 0; ox < ow; ox++) out[ox] = src[ox];
                    } else {
                        const size_t step = g->stride_width;
                        for (size_t ox = 0; ox < ow; ox++) out[ox] = src[ox * step];
                    }
                }
            }
        }
    }
}

TB_CLONES
void tb_dequantize_channels(const int32_t *acc, float *y, size_t channels, size_t rows,
                            size_t width, size_t pitch, const float *scales, const float *bias,
                            int relu) {
    for (size_t c = 0; c < channels; c++) {
        const float s = scales[c], b = bias ? bias[c] : 0.0f;
        for (size_t r = 0; r < rows; r++) {
            const int32_t *a = acc + (c * rows + r) * pitch;
            float *out = y + (c * rows + r) * width;
            if (relu) {
                for (size_t p = 0; p < width; p++) {
                    float v = (float)a[p] * s + b;
                    out[p] = v > 0.0f ? v : 0.0f;
                }
            } else {
                for (size_t p = 0; p < width; p++) out[p] = (float)a[p] * s + b;
            }
        }
    }
}

TB_CLONES
void tb_dequantize_channels_pooled(const int32_t *acc, float *y, size_t channels, size_t rows,
                                   size_t width, size_t pitch, size_t pool_height,
                                   size_t pool_width, const float *scales, const float *bias,
                                   int relu) {
    const size_t pooled_rows = rows / pool_height, pooled_width = width / pool_width;
    // ReLU as a floor of 0, none as a floor of -inf: the loops below stay branch-free.
    const float low = relu ? 0.0f : -INFINITY;
    for (size_t c = 0; c < channels; c++) {
        const float s = scales[c], b = bias ? bias[c] : 0.0f;
        for (size_t r = 0; r < pooled_rows; r++) {
            float *out = y + (c * pooled_rows + r) * pooled_width;
            const int32_t *first = acc + (c * rows + r * pool_height) * pitch;
            if (pool_height == 2 && pool_width == 2) {
                // The common 2x2 window, in a form the compiler vectorizes.
                const int32_t *second = first + pitch;
                for (size_t p = 0; p < pooled_width; p++) {
                    int32_t left = first[2 * p] > second[2 * p] ? first[2 * p] : second[2 * p];
                    int32_t right = first[2 * p + 1] > second[2 * p + 1] ? first[2 * p + 1]
                                                                         : second[2 * p + 1];
                    float v = (float)(left > right ? left : right) * s + b;
                    out[p] = v > low ? v : low;
                }
                continue;
            }
            for (size_t p = 0; p < pooled_width; p++) {
                int32_t best = INT32_MIN;
                for (size_t i = 0; i < pool_height; i++) {
                    const int32_t *a = first + i * pitch + p * pool_width;
                    for (size_t j = 0; j < pool_width; j++) best = a[j] > best ? a[j] : best;
                }
                // The scale is positive, so the largest accumulator gives the largest value.
                float v = (float)best * s + b;
                out[p] = v > low ? v : low;
            }
        }
    }
}
