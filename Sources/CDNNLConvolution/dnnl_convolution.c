// oneDNN convolution primitives behind the small interface of dnnl_convolution.h. One engine
// for the process; a stream, and a scratchpad in the caller's workspace, per execution, so
// executions on several threads never share state.
#include "dnnl_convolution.h"

#include <dnnl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnnl_int8.h"
#include "dnnl_library.h"
#include "openmp_threads.h"

static dnnl_engine_t tb_engine;
static dnnl_status_t tb_engine_status = dnnl_runtime_error;
static pthread_once_t tb_engine_once = PTHREAD_ONCE_INIT;

static void tb_create_engine(void) {
    if (tb_dnnl_load() != 0) return;  // tb_engine_status stays dnnl_runtime_error
    tb_engine_status = tb_dnnl.engine_create(&tb_engine, dnnl_cpu, 0);
}

/// A reorder between two layouts, or none (prim NULL) when they are the same.
typedef struct {
    dnnl_primitive_t prim;
    dnnl_memory_desc_t from, to;
    size_t scratchpad;
} tb_reorder;

/// One primitive with its descriptor.
typedef struct {
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    size_t scratchpad;
} tb_primitive;

struct tb_dnnl_conv {
    tb_dnnl_conv_shape shape;
    int with_bias, layout, threads;
    dnnl_memory_desc_t src, weights, bias, dst; // plain, the caller's
    tb_primitive forward, backward_data, backward_weights;
    // forward: src in, weights in, dst out
    tb_reorder fwd_src, fwd_weights, fwd_dst;
    // backward data: diff_dst in, weights in, diff_src out
    tb_reorder bd_diff_dst, bd_weights, bd_diff_src;
    // backward weights: src in, diff_dst in, diff_weights out
    tb_reorder bw_src, bw_diff_dst, bw_diff_weights;
    pthread_mutex_t lock;
    int backward_ready;
};

static void tb_message(char *error, size_t size, const char *what, dnnl_status_t status) {
    if (error && size > 0)
        snprintf(error, size, "%s failed with oneDNN status %d", what, (int)status);
}

static dnnl_status_t tb_plain(
    dnnl_memory_desc_t *md, int ndims, const dnnl_dims_t dims, dnnl_format_tag_t tag) {
    return tb_dnnl.memory_desc_init_by_tag(md, ndims, dims, dnnl_f32, tag);
}

/// Attributes with a user scratchpad: a primitive that manages its own must run on the thread
/// that created it (oneDNN 2.x), while ours are created under a lock and run on any thread.
static dnnl_status_t tb_user_scratchpad(dnnl_primitive_attr_t *attr) {
    *attr = NULL;
    dnnl_status_t s = tb_dnnl.primitive_attr_create(attr);
    if (s == dnnl_success)
        s = tb_dnnl.primitive_attr_set_scratchpad_mode(*attr, dnnl_scratchpad_mode_user);
    if (s != dnnl_success && *attr) {
        tb_dnnl.primitive_attr_destroy(*attr);
        *attr = NULL;
    }
    return s;
}

/// The scratchpad bytes the primitive of `pd` needs from its caller.
static size_t tb_scratchpad_bytes(const_dnnl_primitive_desc_t pd) {
    const dnnl_memory_desc_t *md = tb_dnnl.primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    return md ? tb_dnnl.memory_desc_get_size(md) : 0;
}

static dnnl_status_t tb_make_reorder(
    tb_reorder *r, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to) {
    r->prim = NULL;
    r->from = *from;
    r->to = *to;
    r->scratchpad = 0;
    if (tb_dnnl.memory_desc_equal(from, to)) return dnnl_success;
    dnnl_primitive_attr_t attr;
    dnnl_status_t s = tb_user_scratchpad(&attr);
    if (s != dnnl_success) return s;
    dnnl_primitive_desc_t pd;
    s = tb_dnnl.reorder_primitive_desc_create(&pd, from, tb_engine, to, tb_engine, attr);
    tb_dnnl.primitive_attr_destroy(attr);
    if (s != dnnl_success) return s;
    r->scratchpad = tb_scratchpad_bytes(pd);
    s = tb_dnnl.primitive_create(&r->prim, pd);
    tb_dnnl.primitive_desc_destroy(pd);
    return s;
}

/// The memory descriptor `pd` wants for `what`.
static const dnnl_memory_desc_t *tb_md(const_dnnl_primitive_desc_t pd, dnnl_query_t what) {
    return tb_dnnl.primitive_desc_query_md(pd, what, 0);
}

static dnnl_status_t tb_finish(tb_primitive *p) {
    p->scratchpad = tb_scratchpad_bytes(p->pd);
    return tb_dnnl.primitive_create(&p->prim, p->pd);
}

/// A convolution's attributes: a user scratchpad, and ReLU fused after it when `relu`. Any
/// failure is returned (with no attributes), never a convolution without its ReLU.
static dnnl_status_t tb_attributes(dnnl_primitive_attr_t *attr, int relu) {
    dnnl_status_t s = tb_user_scratchpad(attr);
    if (s != dnnl_success || !relu) return s;
    dnnl_post_ops_t ops = NULL;
    s = tb_dnnl.post_ops_create(&ops);
    if (s == dnnl_success)
        s = tb_dnnl.post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f);
    if (s == dnnl_success) s = tb_dnnl.primitive_attr_set_post_ops(*attr, ops);
    if (ops) tb_dnnl.post_ops_destroy(ops);
    if (s != dnnl_success) {
        tb_dnnl.primitive_attr_destroy(*attr);
        *attr = NULL;
    }
    return s;
}

/// The geometry arguments every convolution descriptor takes.
typedef struct {
    dnnl_dims_t strides, dilates, padding_l, padding_r;
} tb_geometry;

static tb_geometry tb_geometry_of(const tb_dnnl_conv_shape *s) {
    tb_geometry g;
    g.strides[0] = s->stride_height;
    g.strides[1] = s->stride_width;
    g.dilates[0] = s->dilation_height - 1;
    g.dilates[1] = s->dilation_width - 1;
    g.padding_l[0] = s->padding_height;
    g.padding_l[1] = s->padding_width;
    // The right/bottom padding oneDNN needs so its output size equals ours (the windows that
    // do not fit are dropped, as in PyTorch).
    g.padding_r[0] = (s->output_height - 1) * s->stride_height
        + (s->kernel_height - 1) * s->dilation_height + 1 - s->height - s->padding_height;
    g.padding_r[1] = (s->output_width - 1) * s->stride_width
        + (s->kernel_width - 1) * s->dilation_width + 1 - s->width - s->padding_width;
    return g;
}

/// The descriptors the primitives are created from: plain ones, or "any" for oneDNN to choose.
static void tb_wanted(
    const tb_dnnl_conv *c, dnnl_memory_desc_t *src, dnnl_memory_desc_t *weights,
    dnnl_memory_desc_t *dst) {
    if (c->layout == TB_DNNL_PLAIN) {
        *src = c->src;
        *weights = c->weights;
        *dst = c->dst;
        return;
    }
    const tb_dnnl_conv_shape *s = &c->shape;
    dnnl_dims_t sd = {s->batch, s->channels, s->height, s->width};
    dnnl_dims_t wd = {s->outputs, s->channels, s->kernel_height, s->kernel_width};
    dnnl_dims_t dd = {s->batch, s->outputs, s->output_height, s->output_width};
    tb_plain(src, 4, sd, dnnl_format_tag_any);
    tb_plain(weights, 4, wd, dnnl_format_tag_any);
    tb_plain(dst, 4, dd, dnnl_format_tag_any);
}

tb_dnnl_conv *tb_dnnl_conv_create(
    const tb_dnnl_conv_shape *shape, int with_bias, int relu, int layout, int algorithm,
    int threads, int *status, char *error, size_t error_size) {
    if (status) *status = (int)dnnl_success;
    pthread_once(&tb_engine_once, tb_create_engine);
    tb_openmp_set_threads(threads);
    if (tb_engine_status != dnnl_success) {
        if (tb_dnnl_load() != 0) {
            if (error && error_size > 0) snprintf(error, error_size, "%s", tb_dnnl_load_error());
        } else {
            tb_message(error, error_size, "dnnl_engine_create", tb_engine_status);
        }
        if (status) *status = (int)tb_engine_status;
        return NULL;
    }
    tb_dnnl_conv *c = calloc(1, sizeof *c);
    if (!c) {
        tb_message(error, error_size, "allocating the convolution", dnnl_out_of_memory);
        if (status) *status = (int)dnnl_out_of_memory;
        return NULL;
    }
    c->shape = *shape;
    c->with_bias = with_bias;
    c->layout = layout;
    c->threads = threads > 0 ? threads : 1;
    pthread_mutex_init(&c->lock, NULL);
    const tb_dnnl_conv_shape *s = shape;
    dnnl_dims_t sd = {s->batch, s->channels, s->height, s->width};
    dnnl_dims_t wd = {s->outputs, s->channels, s->kernel_height, s->kernel_width};
    dnnl_dims_t bd = {s->outputs};
    dnnl_dims_t dd = {s->batch, s->outputs, s->output_height, s->output_width};
    dnnl_status_t st = tb_plain(&c->src, 4, sd, dnnl_nchw);
    if (st == dnnl_success) st = tb_plain(&c->weights, 4, wd, dnnl_oihw);
    if (st == dnnl_success) st = tb_plain(&c->bias, 1, bd, dnnl_x);
    if (st == dnnl_success) st = tb_plain(&c->dst, 4, dd, dnnl_nchw);
    if (st != dnnl_success) {
        tb_message(error, error_size, "dnnl_memory_desc_init_by_tag", st);
        if (status) *status = (int)st;
        tb_dnnl_conv_destroy(c);
        return NULL;
    }
    dnnl_memory_desc_t src, weights, dst;
    tb_wanted(c, &src, &weights, &dst);
    tb_geometry g = tb_geometry_of(s);
    dnnl_primitive_attr_t attr = NULL;
    const char *what = "setting the convolution's attributes (user scratchpad, fused ReLU)";
    st = tb_attributes(&attr, relu);
    // Winograd first when asked for (oneDNN has it for some shapes and CPUs only), else direct.
    int winograd = algorithm == TB_DNNL_WINOGRAD;
    for (; st == dnnl_success && winograd >= 0; winograd--) {
        dnnl_convolution_desc_t desc;
        what = "dnnl_dilated_convolution_forward_desc_init";
        st = tb_dnnl.dilated_convolution_forward_desc_init(
            &desc, dnnl_forward_training,
            winograd ? dnnl_convolution_winograd : dnnl_convolution_direct, &src, &weights,
            with_bias ? &c->bias : NULL, &dst, g.strides, g.dilates, g.padding_l, g.padding_r);
        if (st == dnnl_success) {
            what = "dnnl_primitive_desc_create (forward convolution)";
            st = tb_dnnl.primitive_desc_create(&c->forward.pd, &desc, attr, tb_engine, NULL);
        }
        if (st == dnnl_success) break;
        if (winograd) st = dnnl_success;
    }
    if (attr) tb_dnnl.primitive_attr_destroy(attr);
    if (st != dnnl_success) {
        tb_message(error, error_size, what, st);
        if (status) *status = (int)st;
        tb_dnnl_conv_destroy(c);
        return NULL;
    }
    st = tb_finish(&c->forward);
    if (st == dnnl_success)
        st = tb_make_reorder(&c->fwd_src, &c->src, tb_md(c->forward.pd, dnnl_query_src_md));
    if (st == dnnl_success)
        st = tb_make_reorder(
            &c->fwd_weights, &c->weights, tb_md(c->forward.pd, dnnl_query_weights_md));
    if (st == dnnl_success)
        st = tb_make_reorder(&c->fwd_dst, tb_md(c->forward.pd, dnnl_query_dst_md), &c->dst);
    if (st != dnnl_success) {
        tb_message(error, error_size, "creating the convolution forward primitive", st);
        if (status) *status = (int)st;
        tb_dnnl_conv_destroy(c);
        return NULL;
    }
    return c;
}

int tb_dnnl_conv_refused(int status) {
    return status == dnnl_unimplemented || status == dnnl_invalid_arguments;
}

static void tb_destroy_reorder(tb_reorder *r) {
    if (r->prim) tb_dnnl.primitive_destroy(r->prim);
    r->prim = NULL;
}

static void tb_destroy_primitive(tb_primitive *p) {
    if (p->prim) tb_dnnl.primitive_destroy(p->prim);
    if (p->pd) tb_dnnl.primitive_desc_destroy(p->pd);
    p->prim = NULL;
    p->pd = NULL;
}

void tb_dnnl_conv_destroy(tb_dnnl_conv *c) {
    if (!c) return;
    tb_destroy_primitive(&c->forward);
    tb_destroy_primitive(&c->backward_data);
    tb_destroy_primitive(&c->backward_weights);
    tb_reorder *all[] = {&c->fwd_src, &c->fwd_weights, &c->fwd_dst, &c->bd_diff_dst, &c->bd_weights,
                         &c->bd_diff_src, &c->bw_src, &c->bw_diff_dst, &c->bw_diff_weights};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tb_destroy_reorder(all[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const char *tb_dnnl_conv_implementation(tb_dnnl_conv *c, int which) {
    // Under the lock: another thread may be creating the backward primitives.
    pthread_mutex_lock(&c->lock);
    const tb_primitive *p = which == 0   ? &c->forward
                            : which == 1 ? &c->backward_data
                                         : &c->backward_weights;
    const char *name = "";
    if (p->pd) tb_dnnl.primitive_desc_query(p->pd, dnnl_query_impl_info_str, 0, &name);
    pthread_mutex_unlock(&c->lock);
    return name ? name : "";
}

/// Whether `prim` (if any) was created with a user scratchpad.
static int tb_has_user_scratchpad(const_dnnl_primitive_t prim) {
    if (!prim) return 1;
    const_dnnl_primitive_desc_t pd;
    const_dnnl_primitive_attr_t attr;
    dnnl_scratchpad_mode_t mode;
    if (tb_dnnl.primitive_get_primitive_desc(prim, &pd) != dnnl_success) return 0;
    if (tb_dnnl.primitive_desc_get_attr(pd, &attr) != dnnl_success) return 0;
    if (tb_dnnl.primitive_attr_get_scratchpad_mode(attr, &mode) != dnnl_success) return 0;
    return mode == dnnl_scratchpad_mode_user;
}

int tb_dnnl_conv_user_scratchpads(tb_dnnl_conv *c) {
    pthread_mutex_lock(&c->lock);
    const_dnnl_primitive_t all[] = {c->forward.prim, c->backward_data.prim,
        c->backward_weights.prim, c->fwd_src.prim, c->fwd_weights.prim, c->fwd_dst.prim,
        c->bd_diff_dst.prim, c->bd_weights.prim, c->bd_diff_src.prim, c->bw_src.prim,
        c->bw_diff_dst.prim, c->bw_diff_weights.prim};
    int user = 1;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) user &= tb_has_user_scratchpad(all[i]);
    pthread_mutex_unlock(&c->lock);
    return user;
}

// MARK: - Execution

/// `n` bytes rounded up to whole cache lines: the workspace is carved in such chunks.
static size_t tb_chunk(size_t n) { return (n + 63) / 64 * 64; }

/// The bytes a reorder's buffer takes, if the reorder exists: the primitive's side of it
/// (`to` for inputs, `from` for outputs).
static size_t tb_reorder_bytes(const tb_reorder *r, int input) {
    return r->prim
        ? tb_chunk(tb_dnnl.memory_desc_get_size(input ? &r->to : &r->from))
            + tb_chunk(r->scratchpad)
        : 0;
}

/// One execution's state: its stream, memory objects, and the caller's workspace, from which
/// reordered operands and the scratchpad are carved (the caller takes it from its buffer pool,
/// so nothing is allocated here and it is reused by other work in between).
typedef struct {
    dnnl_stream_t stream;
    char *workspace;
    size_t capacity, used;
    dnnl_memory_t memories[32];
    int memory_count;
    dnnl_status_t status;
} tb_run;

static int tb_run_begin(tb_run *r, int threads, void *workspace, size_t capacity) {
    memset(r, 0, sizeof *r);
    tb_openmp_set_threads(threads);
    r->workspace = workspace;
    r->capacity = workspace ? capacity : 0;
    r->status = tb_dnnl.stream_create(&r->stream, tb_engine, dnnl_stream_default_flags);
    return r->status == dnnl_success;
}

static void tb_run_end(tb_run *r) {
    for (int i = 0; i < r->memory_count; i++) tb_dnnl.memory_destroy(r->memories[i]);
    if (r->stream) tb_dnnl.stream_destroy(r->stream);
}

static void *tb_run_alloc(tb_run *r, size_t size) {
    if (r->status != dnnl_success) return NULL;
    size_t chunk = tb_chunk(size);
    if (!r->workspace || chunk > r->capacity - r->used) {
        r->status = dnnl_out_of_memory;
        return NULL;
    }
    void *p = r->workspace + r->used;
    r->used += chunk;
    return p;
}

/// A memory object over `data` (or over a fresh buffer when `data` is NULL).
static dnnl_memory_t tb_run_memory(tb_run *r, const dnnl_memory_desc_t *md, const void *data) {
    if (r->status != dnnl_success) return NULL;
    if (r->memory_count == (int)(sizeof r->memories / sizeof r->memories[0])) {
        r->status = dnnl_out_of_memory;
        return NULL;
    }
    void *handle = data ? (void *)data : tb_run_alloc(r, tb_dnnl.memory_desc_get_size(md));
    if (!handle) return NULL;
    dnnl_memory_t m;
    r->status = tb_dnnl.memory_create(&m, md, tb_engine, handle);
    if (r->status != dnnl_success) return NULL;
    r->memories[r->memory_count++] = m;
    return m;
}

static void tb_run_execute(
    tb_run *r, dnnl_primitive_t prim, size_t scratchpad, int nargs, dnnl_exec_arg_t *args) {
    if (r->status != dnnl_success) return;
    dnnl_exec_arg_t all[8];
    memcpy(all, args, sizeof(dnnl_exec_arg_t) * (size_t)nargs);
    if (scratchpad > 0) {
        dnnl_memory_desc_t md;
        dnnl_dims_t dims = {(dnnl_dim_t)scratchpad};
        r->status = tb_dnnl.memory_desc_init_by_tag(&md, 1, dims, dnnl_u8, dnnl_x);
        dnnl_memory_t m = tb_run_memory(r, &md, NULL);
        if (!m) return;
        all[nargs].arg = DNNL_ARG_SCRATCHPAD;
        all[nargs].memory = m;
        nargs++;
    }
    r->status = tb_dnnl.primitive_execute(prim, r->stream, nargs, all);
    if (r->status == dnnl_success) r->status = tb_dnnl.stream_wait(r->stream);
}

/// The memory the primitive reads: the caller's `data` itself, or its reordered copy.
static dnnl_memory_t tb_run_input(tb_run *r, const tb_reorder *reorder, const void *data) {
    dnnl_memory_t user = tb_run_memory(r, &reorder->from, data);
    if (!user || !reorder->prim) return user;
    dnnl_memory_t copy = tb_run_memory(r, &reorder->to, NULL);
    if (!copy) return NULL;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, copy}};
    tb_run_execute(r, reorder->prim, reorder->scratchpad, 2, args);
    return r->status == dnnl_success ? copy : NULL;
}

/// The memory the primitive writes: `data` itself, or a buffer `tb_run_output_done` reorders
/// into `data`.
static dnnl_memory_t tb_run_output(tb_run *r, const tb_reorder *reorder, void *data) {
    return tb_run_memory(r, &reorder->from, reorder->prim ? NULL : data);
}

static void tb_run_output_done(
    tb_run *r, const tb_reorder *reorder, dnnl_memory_t written, void *data) {
    if (!reorder->prim || r->status != dnnl_success) return;
    dnnl_memory_t user = tb_run_memory(r, &reorder->to, data);
    if (!user) return;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, written}, {DNNL_ARG_TO, user}};
    tb_run_execute(r, reorder->prim, reorder->scratchpad, 2, args);
}

static dnnl_status_t tb_prepare_backward(tb_dnnl_conv *c, char *error, size_t error_size);

/// 1 when `md` is `plain`'s dims laid out nChw16c (oneDNN's aBcd16b), the channels a multiple
/// of 16 (so no padding).
static int tb_is_blocked16(const dnnl_memory_desc_t *md, const dnnl_memory_desc_t *plain) {
    if (plain->ndims != 4 || plain->dims[1] % 16 != 0) return 0;
    dnnl_memory_desc_t want;
    if (tb_plain(&want, 4, plain->dims, dnnl_aBcd16b) != dnnl_success) return 0;
    return tb_dnnl.memory_desc_equal(md, &want);
}

int tb_dnnl_conv_blocked_dst(tb_dnnl_conv *c) { return tb_is_blocked16(&c->fwd_dst.from, &c->dst); }

int tb_dnnl_conv_blocked_diff_dst(tb_dnnl_conv *c, char *error, size_t error_size) {
    if (tb_prepare_backward(c, error, error_size) != dnnl_success) return 0;
    return tb_is_blocked16(&c->bd_diff_dst.to, &c->dst)
        && tb_is_blocked16(&c->bw_diff_dst.to, &c->dst);
}

int tb_dnnl_conv_forward(
    tb_dnnl_conv *c, const float *src, const float *weights, const float *bias, float *dst,
    void *workspace, size_t workspace_size) {
    return tb_dnnl_conv_forward_into(c, src, weights, bias, dst, 0, workspace, workspace_size);
}

int tb_dnnl_conv_forward_into(
    tb_dnnl_conv *c, const float *src, const float *weights, const float *bias, float *dst,
    int blocked, void *workspace, size_t workspace_size) {
    if (blocked && !tb_dnnl_conv_blocked_dst(c)) return (int)dnnl_invalid_arguments;
    tb_run r;
    if (tb_run_begin(&r, c->threads, workspace, workspace_size)) {
        dnnl_memory_t s = tb_run_input(&r, &c->fwd_src, src);
        dnnl_memory_t w = tb_run_input(&r, &c->fwd_weights, weights);
        dnnl_memory_t b = c->with_bias ? tb_run_memory(&r, &c->bias, bias) : NULL;
        dnnl_memory_t d = blocked ? tb_run_memory(&r, &c->fwd_dst.from, dst)
                                  : tb_run_output(&r, &c->fwd_dst, dst);
        if (r.status == dnnl_success) {
            dnnl_exec_arg_t args[4] = {
                {DNNL_ARG_SRC, s}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, d}, {DNNL_ARG_BIAS, b}};
            tb_run_execute(&r, c->forward.prim, c->forward.scratchpad, c->with_bias ? 4 : 3, args);
            if (!blocked) tb_run_output_done(&r, &c->fwd_dst, d, dst);
        }
    }
    tb_run_end(&r);
    return (int)r.status;
}

/// Frees the backward primitives and their reorders.
static void tb_destroy_backward(tb_dnnl_conv *c) {
    tb_destroy_primitive(&c->backward_data);
    tb_destroy_primitive(&c->backward_weights);
    tb_reorder *all[] = {&c->bd_diff_dst, &c->bd_weights, &c->bd_diff_src, &c->bw_src,
                         &c->bw_diff_dst, &c->bw_diff_weights};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tb_destroy_reorder(all[i]);
}

/// Creates the backward primitives (once).
static dnnl_status_t tb_prepare_backward(tb_dnnl_conv *c, char *error, size_t error_size) {
    pthread_mutex_lock(&c->lock);
    dnnl_status_t st = dnnl_success;
    if (c->backward_ready) goto done;
    tb_openmp_set_threads(c->threads);
    const tb_dnnl_conv_shape *s = &c->shape;
    tb_geometry g = tb_geometry_of(s);
    dnnl_memory_desc_t src, weights, dst;
    tb_wanted(c, &src, &weights, &dst);
    dnnl_convolution_desc_t data_desc, weights_desc;
    const char *what = "dnnl_dilated_convolution_backward_data_desc_init";
    st = tb_dnnl.dilated_convolution_backward_data_desc_init(
        &data_desc, dnnl_convolution_direct, &src, &weights, &dst, g.strides, g.dilates,
        g.padding_l, g.padding_r);
    if (st != dnnl_success) goto done;
    what = "dnnl_dilated_convolution_backward_weights_desc_init";
    st = tb_dnnl.dilated_convolution_backward_weights_desc_init(
        &weights_desc, dnnl_convolution_direct, &src, &weights, c->with_bias ? &c->bias : NULL,
        &dst, g.strides, g.dilates, g.padding_l, g.padding_r);
    if (st != dnnl_success) goto done;
    what = "creating the convolution backward primitives";
    dnnl_primitive_attr_t attr;
    st = tb_attributes(&attr, 0);
    if (st != dnnl_success) goto done;
    st = tb_dnnl.primitive_desc_create(
        &c->backward_data.pd, &data_desc, attr, tb_engine, c->forward.pd);
    if (st == dnnl_success)
        st = tb_dnnl.primitive_desc_create(
            &c->backward_weights.pd, &weights_desc, attr, tb_engine, c->forward.pd);
    tb_dnnl.primitive_attr_destroy(attr);
    if (st == dnnl_success) st = tb_finish(&c->backward_data);
    if (st == dnnl_success) st = tb_finish(&c->backward_weights);
    const_dnnl_primitive_desc_t bd = c->backward_data.pd, bw = c->backward_weights.pd;
    if (st == dnnl_success)
        st = tb_make_reorder(&c->bd_diff_dst, &c->dst, tb_md(bd, dnnl_query_diff_dst_md));
    if (st == dnnl_success)
        st = tb_make_reorder(&c->bd_weights, &c->weights, tb_md(bd, dnnl_query_weights_md));
    if (st == dnnl_success)
        st = tb_make_reorder(&c->bd_diff_src, tb_md(bd, dnnl_query_diff_src_md), &c->src);
    if (st == dnnl_success)
        st = tb_make_reorder(&c->bw_src, &c->src, tb_md(bw, dnnl_query_src_md));
    if (st == dnnl_success)
        st = tb_make_reorder(&c->bw_diff_dst, &c->dst, tb_md(bw, dnnl_query_diff_dst_md));
    if (st == dnnl_success)
        st = tb_make_reorder(
            &c->bw_diff_weights, tb_md(bw, dnnl_query_diff_weights_md), &c->weights);
    if (st == dnnl_success) c->backward_ready = 1;
    // Nothing half made: a failure that may pass (out of memory) is tried again afresh.
    if (st != dnnl_success) tb_destroy_backward(c);
done:
    pthread_mutex_unlock(&c->lock);
    if (st != dnnl_success) tb_message(error, error_size, what, st);
    return st;
}

int tb_dnnl_conv_workspace(
    tb_dnnl_conv *c, int pass, size_t *bytes, char *error, size_t error_size) {
    if (pass == 0) {
        *bytes = tb_reorder_bytes(&c->fwd_src, 1) + tb_reorder_bytes(&c->fwd_weights, 1)
            + tb_reorder_bytes(&c->fwd_dst, 0) + tb_chunk(c->forward.scratchpad);
        return 0;
    }
    dnnl_status_t st = tb_prepare_backward(c, error, error_size);
    if (st != dnnl_success) return (int)st;
    // Everything tb_dnnl_conv_backward may carve, whichever gradients are asked for.
    *bytes = tb_reorder_bytes(&c->bd_diff_dst, 1) + tb_reorder_bytes(&c->bd_weights, 1)
        + tb_reorder_bytes(&c->bd_diff_src, 0) + tb_chunk(c->backward_data.scratchpad)
        + tb_reorder_bytes(&c->bw_diff_dst, 1) + tb_reorder_bytes(&c->bw_src, 1)
        + tb_chunk(tb_dnnl.memory_desc_get_size(&c->weights))
        + tb_reorder_bytes(&c->bw_diff_weights, 0)
        + tb_chunk(tb_dnnl.memory_desc_get_size(&c->bias))
        + tb_chunk(c->backward_weights.scratchpad);
    return 0;
}

int tb_dnnl_conv_backward(
    tb_dnnl_conv *c, const float *src, const float *weights, const float *diff_dst, float *diff_src,
    float *diff_weights, float *diff_bias, void *workspace, size_t workspace_size, char *error,
    size_t error_size) {
    return tb_dnnl_conv_backward_from(
        c, src, weights, diff_dst, 0, diff_src, diff_weights, diff_bias, workspace,
        workspace_size, error, error_size);
}

int tb_dnnl_conv_backward_from(
    tb_dnnl_conv *c, const float *src, const float *weights, const float *diff_dst,
    int blocked, float *diff_src, float *diff_weights, float *diff_bias, void *workspace,
    size_t workspace_size, char *error, size_t error_size) {
    dnnl_status_t st = tb_prepare_backward(c, error, error_size);
    if (st != dnnl_success) return (int)st;
    if (blocked && !tb_dnnl_conv_blocked_diff_dst(c, error, error_size)) {
        tb_message(error, error_size, "a blocked gradient for a non-blocked layout",
            dnnl_invalid_arguments);
        return (int)dnnl_invalid_arguments;
    }
    tb_run r;
    if (tb_run_begin(&r, c->threads, workspace, workspace_size)) {
        // The gradient reordered once when both primitives want the same layout.
        dnnl_memory_t dd_data = NULL;
        if (diff_src) {
            dd_data = blocked ? tb_run_memory(&r, &c->bd_diff_dst.to, diff_dst)
                              : tb_run_input(&r, &c->bd_diff_dst, diff_dst);
            dnnl_memory_t w = tb_run_input(&r, &c->bd_weights, weights);
            dnnl_memory_t ds = tb_run_output(&r, &c->bd_diff_src, diff_src);
            if (r.status == dnnl_success) {
                dnnl_exec_arg_t args[3] = {
                    {DNNL_ARG_DIFF_DST, dd_data}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, ds}};
                tb_run_execute(&r, c->backward_data.prim, c->backward_data.scratchpad, 3, args);
                tb_run_output_done(&r, &c->bd_diff_src, ds, diff_src);
            }
        }
        if (diff_weights || diff_bias) {
            int shared =
                dd_data && tb_dnnl.memory_desc_equal(&c->bd_diff_dst.to, &c->bw_diff_dst.to);
            dnnl_memory_t dd = shared ? dd_data
                : blocked         ? tb_run_memory(&r, &c->bw_diff_dst.to, diff_dst)
                                  : tb_run_input(&r, &c->bw_diff_dst, diff_dst);
            dnnl_memory_t s = tb_run_input(&r, &c->bw_src, src);
            // oneDNN computes both gradients together; unwanted ones go to scratch buffers.
            float *dw_target = diff_weights;
            if (!dw_target)
                dw_target = tb_run_alloc(&r, tb_dnnl.memory_desc_get_size(&c->weights));
            dnnl_memory_t dw = tb_run_output(&r, &c->bw_diff_weights, dw_target);
            dnnl_memory_t db = NULL;
            if (c->with_bias) {
                float *db_target = diff_bias;
                if (!db_target)
                    db_target = tb_run_alloc(&r, tb_dnnl.memory_desc_get_size(&c->bias));
                db = tb_run_memory(&r, &c->bias, db_target);
            }
            if (r.status == dnnl_success) {
                dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, s}, {DNNL_ARG_DIFF_DST, dd},
                    {DNNL_ARG_DIFF_WEIGHTS, dw}, {DNNL_ARG_DIFF_BIAS, db}};
                const tb_primitive *p = &c->backward_weights;
                tb_run_execute(&r, p->prim, p->scratchpad, c->with_bias ? 4 : 3, args);
                tb_run_output_done(&r, &c->bw_diff_weights, dw, dw_target);
            }
        }
    }
    tb_run_end(&r);
    if (r.status != dnnl_success)
        tb_message(error, error_size, "executing the convolution backward primitives", r.status);
    return (int)r.status;
}
