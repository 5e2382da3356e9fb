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

TB_CLONES
void tb_im2col_u8(const uint8_t *image, uint8_t *columns, const tb_conv_geometry *g,
                  uint8_t pad_code) {
    const size_t oh = g->output_height, ow = g->output_width, plane = oh * ow;
    const ptrdiff_t h = (ptrdiff_t)g->height, w = (ptrdiff_t)g->width;
    size_t row = 0;
    for (size_t c = 0; c < g->channels; c++) {
        const uint8_t *source = image + c * g->height * g->width;
        for (size_t i = 0; i < g->kernel_height; i++) {
            for (size_t j = 0; j < g->kernel_width; j++, row++) {
                uint8_t *target = columns + row * plane;
                const ptrdiff_t dy = (ptrdiff_t)(i * g->dilation_height) - (ptrdiff_t)g->pad_top;
                const ptrdiff_t dx = (ptrdiff_t)(j * g->dilation_width) - (ptrdiff_t)g->pad_left;
                for (size_t oy = 0; oy < oh; oy++) {
                    const ptrdiff_t y = (ptrdiff_t)(oy * g->stride_height) + dy;
                    uint8_t *out = target + oy * ow;
                    if (y < 0 || y >= h) {
                        memset(out, pad_code, ow);
                        continue;
                    }
                    const uint8_t *line = source + y * w;
                    if (g->stride_width == 1) {
                        // Output columns whose input column ox + dx lies inside the image.
                        ptrdiff_t low = dx < 0 ? -dx : 0;
                        ptrdiff_t high = w - dx;
                        if (low > (ptrdiff_t)ow) low = (ptrdiff_t)ow;
                        if (high > (ptrdiff_t)ow) high = (ptrdiff_t)ow;
                        if (high < low) high = low;
                        memset(out, pad_code, (size_t)low);
                        if (high > low) memcpy(out + low, line + low + dx, (size_t)(high - low));
                        memset(out + high, pad_code, ow - (size_t)high);
                    } else {
                        for (size_t ox = 0; ox < ow; ox++) {
                            const ptrdiff_t x = (ptrdiff_t)(ox * g->stride_width) + dx;
                            out[ox] = x < 0 || x >= w ? pad_code : line[x];
                        }
                    }
                }
            }
        }
    }
}

TB_CLONES
void tb_dequantize_planes(const int32_t *acc, float *y, size_t positions, size_t channels,
                          const float *scales, const float *bias, int relu) {
    // Blocks of positions, so the reads of acc stay in cache while each channel's plane is
    // written contiguously.
    enum { block = 64 };
    for (size_t start = 0; start < positions; start += block) {
        const size_t end = start + block < positions ? start + block : positions;
        for (size_t c = 0; c < channels; c++) {
            const float s = scales[c], b = bias ? bias[c] : 0.0f;
            float *out = y + c * positions;
            if (relu) {
                for (size_t p = start; p < end; p++) {
                    float v = (float)acc[p * channels + c] * s + b;
                    out[p] = v > 0.0f ? v : 0.0f;
                }
            } else {
                for (size_t p = start; p < end; p++) out[p] = (float)acc[p * channels + c] * s + b;
            }
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
