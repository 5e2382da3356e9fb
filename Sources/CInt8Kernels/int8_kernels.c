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

static void (*tb_omp_set_num_threads)(int);
static pthread_once_t tb_omp_lookup = PTHREAD_ONCE_INIT;

static void tb_find_openmp(void) {
    tb_omp_set_num_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
}

void tb_openmp_set_threads(int count) {
    pthread_once(&tb_omp_lookup, tb_find_openmp);
    if (tb_omp_set_num_threads && count > 0) tb_omp_set_num_threads(count);
}
