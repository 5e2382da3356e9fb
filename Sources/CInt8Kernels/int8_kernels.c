#include "int8_kernels.h"

#include <math.h>

#if defined(__x86_64__) && defined(__clang__)
#define TB_CLONES __attribute__((target_clones("avx512f,avx512bw,avx512vl", "avx2,fma", "default")))
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

TB_CLONES
void tb_min_max(const float *x, size_t count, float *low, float *high) {
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < count; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    *low = lo;
    *high = hi;
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
