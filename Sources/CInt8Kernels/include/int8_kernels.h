// Int8 inference kernels around oneDNN's integer GEMM: quantizing float32 activations to
// uint8, and the epilogues that turn int32 accumulators back into float32 or uint8 (bias,
// per-channel scales and ReLU fused). Each has AVX-512, AVX2 and baseline variants chosen at
// run time from CPUID (target_clones); tests compare them with a Swift reference.
#pragma once
#include <stddef.h>
#include <stdint.h>

/// q[i] = clamp(round_half_even(x[i] * inverse_scale) + zero_point, 0, 255); NaN becomes the
/// zero point.
void tb_quantize_u8(const float *x, uint8_t *q, size_t count, float inverse_scale,
                    int32_t zero_point);

/// The smallest and largest value of x[0..<count] (+inf and -inf when count is 0); NaNs are
/// skipped.
void tb_min_max(const float *x, size_t count, float *low, float *high);

/// y[r][c] = act(acc[r][c] * scales[c] + bias[c]) for a rows x cols row-major int32 matrix;
/// bias may be NULL; relu != 0 clamps at 0.
void tb_dequantize_rows(const int32_t *acc, float *y, size_t rows, size_t cols,
                        const float *scales, const float *bias, int relu);

/// out[r][c] = clamp(round(acc[r][c] * scales[c] + offsets[c]) + zero_point, low, 255)
/// where low is zero_point with relu, else 0: requantization to the next layer's uint8 input
/// (scales = s_in * s_w[c] / s_out, offsets = bias[c] / s_out).
void tb_requantize_rows(const int32_t *acc, uint8_t *out, size_t rows, size_t cols,
                        const float *scales, const float *offsets, int32_t zero_point,
                        int relu);

/// Sets the OpenMP threads of the calling thread (what oneDNN's OpenMP build uses for the
/// products it runs from it); does nothing when no OpenMP runtime is loaded.
void tb_openmp_set_threads(int count);
