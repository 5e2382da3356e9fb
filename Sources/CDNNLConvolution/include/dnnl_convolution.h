#pragma once
// Float32 2-D convolution (forward, input gradient, weight and bias gradients) on oneDNN's
// convolution primitives, for Tensor's conv2d. Every buffer the caller passes is plain and
// contiguous: activations NCHW, weights OIHW, bias O. Inside, the primitives may use oneDNN's
// blocked layouts (chosen for the CPU at creation); reorders to and from them happen per call.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The convolution's sizes. `padding` is the zeros added on each side (top = bottom,
/// left = right); `dilation` is the spacing between kernel taps (1 = none), as in PyTorch.
typedef struct {
    long batch, channels, height, width;
    long outputs, kernel_height, kernel_width;
    long output_height, output_width;
    long stride_height, stride_width;
    long padding_height, padding_width;
    long dilation_height, dilation_width;
} tb_dnnl_conv_shape;

/// A convolution's primitives for one shape: created once, executed any number of times,
/// from any number of threads at once (each execution brings its own scratchpad).
typedef struct tb_dnnl_conv tb_dnnl_conv;

/// The primitives' layouts: plain NCHW/OIHW (`TB_DNNL_PLAIN`), or the ones oneDNN prefers for
/// this CPU and shape (`TB_DNNL_BLOCKED`), reached through reorders.
enum { TB_DNNL_PLAIN = 0, TB_DNNL_BLOCKED = 1 };

/// The forward pass's algorithm: direct, or Winograd F(4×4, 3×3) where oneDNN has it for the
/// shape (direct otherwise). The backward passes are always direct.
enum { TB_DNNL_DIRECT = 0, TB_DNNL_WINOGRAD = 1 };

/// The forward primitive for `shape` (with a bias when `with_bias`, followed by ReLU when
/// `relu`), by `algorithm`, to run on `threads` OpenMP threads: oneDNN fixes a primitive's
/// thread count when it creates it, so executions must pass the same count. Returns NULL, with
/// oneDNN's status in `*status` (`dnnl_unimplemented` when it has no implementation for the
/// shape) and a message in `error` (`error_size` bytes), when oneDNN has no implementation or
/// fails. Every primitive (reorders included) takes its scratchpad from the caller's
/// workspace, so it may run on any thread.
tb_dnnl_conv *tb_dnnl_conv_create(
    const tb_dnnl_conv_shape *shape, int with_bias, int relu, int layout, int algorithm,
    int threads, int *status, char *error, size_t error_size);

/// 1 when `status`, from `tb_dnnl_conv_create`, is oneDNN refusing the shape (no
/// implementation, or arguments it does not take), which asking again will not change; 0 for
/// a failure that may pass (out of memory, a runtime error).
int tb_dnnl_conv_refused(int status);

/// Frees the primitives.
void tb_dnnl_conv_destroy(tb_dnnl_conv *conv);

/// The implementation oneDNN chose: 0 forward, 1 input gradient, 2 weight gradient ("" before
/// that primitive exists).
const char *tb_dnnl_conv_implementation(tb_dnnl_conv *conv, int which);

/// 1 when every primitive created so far (convolutions and reorders) uses a user scratchpad,
/// the workspace's, rather than one oneDNN keeps per primitive and thread.
int tb_dnnl_conv_user_scratchpads(tb_dnnl_conv *conv);

/// The bytes of workspace (64-byte aligned) an execution of `pass` needs: 0 forward, 1 backward
/// (which creates the backward primitives first, on first use). Returns 0, or oneDNN's status
/// with a message in `error`.
int tb_dnnl_conv_workspace(
    tb_dnnl_conv *conv, int pass, size_t *bytes, char *error, size_t error_size);

/// dst = conv(src, weights) + bias (through ReLU if created so). `bias` is ignored without
/// one; `workspace` holds `tb_dnnl_conv_workspace(conv, 0, …)` bytes. Runs on the threads it
/// was created for (1: the caller's thread). Returns 0, or oneDNN's status.
int tb_dnnl_conv_forward(
    tb_dnnl_conv *conv, const float *src, const float *weights, const float *bias, float *dst,
    void *workspace, size_t workspace_size);

/// The gradients, given `diff_dst` (the gradient of the convolution's output, after any
/// activation's derivative): `diff_src` (overwritten), `diff_weights` and `diff_bias`
/// (overwritten); each may be NULL when not wanted. `workspace` holds
/// `tb_dnnl_conv_workspace(conv, 1, …)` bytes. Returns 0, or oneDNN's status (with a message in
/// `error`).
int tb_dnnl_conv_backward(
    tb_dnnl_conv *conv, const float *src, const float *weights, const float *diff_dst,
    float *diff_src, float *diff_weights, float *diff_bias, void *workspace,
    size_t workspace_size, char *error, size_t error_size);

/// 1 when the forward primitive writes its output nChw16c (oneDNN's aBcd16b: for each image,
/// blocks of 16 channels, each [OH, OW, 16]; the output channels a multiple of 16), so that
/// `tb_dnnl_conv_forward_into` can leave it so; else 0.
int tb_dnnl_conv_blocked_dst(tb_dnnl_conv *conv);

/// 1 when both backward primitives read the output gradient nChw16c, so that
/// `tb_dnnl_conv_backward_from` can take it so (creating the backward primitives on first
/// use); else 0 (also when they cannot be created).
int tb_dnnl_conv_blocked_diff_dst(tb_dnnl_conv *conv, char *error, size_t error_size);

/// `tb_dnnl_conv_forward`, leaving `dst` in the primitive's nChw16c layout when `blocked` (no
/// reorder to NCHW; `dnnl_invalid_arguments` unless `tb_dnnl_conv_blocked_dst`).
int tb_dnnl_conv_forward_into(
    tb_dnnl_conv *conv, const float *src, const float *weights, const float *bias, float *dst,
    int blocked, void *workspace, size_t workspace_size);

/// `tb_dnnl_conv_backward`, reading `diff_dst` in the primitives' nChw16c layout when `blocked`
/// (no reorder from NCHW; `dnnl_invalid_arguments` unless `tb_dnnl_conv_blocked_diff_dst`).
int tb_dnnl_conv_backward_from(
    tb_dnnl_conv *conv, const float *src, const float *weights, const float *diff_dst,
    int blocked, float *diff_src, float *diff_weights, float *diff_bias, void *workspace,
    size_t workspace_size, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif
