#include "int8_kernels.h"

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
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

size_t tb_im2col_scratch_size(const tb_conv_geometry *g) {
    return g->channels * tb_padded_height(g) * tb_padded_width(g);
}

TB_CLONES
void tb_im2col_s8(const uint8_t *image, int8_t *columns, const tb_conv_geometry *g,
                  uint8_t pad_code, int8_t *scratch) {
    const size_t oh = g->output_height, ow = g->output_width, plane = oh * ow;
    const size_t hp = tb_padded_height(g), wp = tb_padded_width(g);
    const size_t h = g->height, w = g->width, top = g->pad_top, left = g->pad_left;
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
    size_t index = 0;
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
void tb_dequantize_channels(const int32_t *acc, float *y, size_t channels, size_t positions,
                            const float *scales, const float *bias, int relu) {
    for (size_t c = 0; c < channels; c++) {
        const int32_t *a = acc + c * positions;
        float *out = y + c * positions;
        const float s = scales[c], b = bias ? bias[c] : 0.0f;
        if (relu) {
            for (size_t p = 0; p < positions; p++) {
                float v = (float)a[p] * s + b;
                out[p] = v > 0.0f ? v : 0.0f;
            }
        } else {
            for (size_t p = 0; p < positions; p++) out[p] = (float)a[p] * s + b;
        }
    }
}

static void (*tb_omp_set_num_threads)(int);
static pthread_once_t tb_omp_lookup = PTHREAD_ONCE_INIT;

static void tb_find_openmp(void) {
    tb_omp_set_num_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
}

void tb_openmp_set_threads(int count) {
    pthread_once(&tb_omp_lookup, tb_find_openmp);
    if (tb_omp_set_num_threads && count > 0) tb_omp_set_num_threads(count);
}
