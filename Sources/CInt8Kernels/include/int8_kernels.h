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

/// The geometry of one 2-D convolution over an [channels, height, width] image: the kernel,
/// stride, dilation, the padding before (top, left) and the output size (the padding after
/// follows from it).
typedef struct {
    size_t channels, height, width;
    size_t kernel_height, kernel_width;
    size_t stride_height, stride_width;
    size_t dilation_height, dilation_width;
    size_t pad_top, pad_left;
    size_t output_height, output_width;
} tb_conv_geometry;

/// im2col of one uint8 image [C, H, W] into int8 columns [C*kh*kw, OH*pitch] (row (c, i, j)
/// holds, for each output position, the code under kernel tap (i, j) of channel c), each code
/// q stored as the int8 q - 128 (its top bit flipped); padding taps get `pad_code` (the zero
/// point: the code of a real 0), likewise shifted. `pitch` is `tb_im2col_pitch(g)`: OW, or
/// with unit strides the padded width, whose extra columns per output row hold values to be
/// ignored (each row of columns is then one copy). `scratch` holds
/// `tb_im2col_scratch_size(g)` bytes for the padded image.
void tb_im2col_s8(const uint8_t *image, int8_t *columns, const tb_conv_geometry *g,
                  uint8_t pad_code, int8_t *scratch);

/// The bytes of scratch `tb_im2col_s8` needs: the padded image the windows reach.
size_t tb_im2col_scratch_size(const tb_conv_geometry *g);

/// The positions per output row in `tb_im2col_s8`'s columns: OW, or the padded width with
/// unit strides.
size_t tb_im2col_pitch(const tb_conv_geometry *g);

/// y[c][r][p] = act(acc[c][r][p] * scales[c] + bias[c]) for p < width, for int32
/// accumulators [channels, rows, pitch] (one image's product, channel-major as NCHW; columns
/// p >= width are skipped) and y [channels, rows, width]: per-channel scale, bias (may be
/// NULL) and ReLU (relu != 0) fused.
void tb_dequantize_channels(const int32_t *acc, float *y, size_t channels, size_t rows,
                            size_t width, size_t pitch, const float *scales, const float *bias,
                            int relu);

/// tb_dequantize_channels followed by max pooling over pool_height x pool_width windows with
/// the same stride and no padding (the rows and columns that do not fill a window are
/// dropped, as PyTorch's floor mode): y [channels, rows / pool_height, width / pool_width] is
/// act(max(acc over the window) * scales[c] + bias[c]), the same as pooling afterwards since
/// the scales are positive and the activation (none or ReLU) is monotonic.
void tb_dequantize_channels_pooled(const int32_t *acc, float *y, size_t channels, size_t rows,
                                   size_t width, size_t pitch, size_t pool_height,
                                   size_t pool_width, const float *scales, const float *bias,
                                   int relu);
