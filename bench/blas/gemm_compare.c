// Same-run comparison of float32 GEMM back ends at Trainbook's own product shapes (the MLP's,
// the CNN's) and at 2048²: OpenBLAS with each of its x86-64 kernel sets (switched inside this
// one process, as Trainbook's BLAS start-up does), BLIS and oneDNN's dnnl_sgemm, at 1 and 2
// threads (each library's own, and two single-threaded products on halves of C as Trainbook
// runs them). Every library is loaded with dlopen, so a missing one is reported and skipped.
// Rounds alternate the back ends; each figure is the best round's GFLOP/s, by wall time and per
// CPU-second. Every back end's result is checked against a float64 reference first.
//
// Built and run by bench/blas/compare (which prints the table bench/blas/README.md shows).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float *, int,
                               const float *, int, float, float *, int);
typedef int (*dnnl_sgemm_fn)(char, char, int64_t, int64_t, int64_t, float, const float *,
                             int64_t, const float *, int64_t, float, float *, int64_t);
typedef void (*set_int_fn)(int);
typedef void (*set_long_fn)(long);
typedef void (*void_fn)(void);
typedef char *(*string_fn)(void);

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef struct {
    const char *name;
    int ta, tb, m, n, k;
    int lda_m;  // with A transposed, its leading dimension when this is part of a larger product
} Shape;

// The products Trainbook makes (row-major, C[m×n] = op(A)·op(B)); see SgemmBaseline.swift and
// Tensor+Convolution.swift (one sgemm per image forward; per block of images backward).
static const Shape shapes[] = {
    {"MLP x·W1ᵀ 128×128×784", 0, 1, 128, 128, 784},
    {"MLP dW1 128×784×128", 1, 0, 128, 784, 128},
    {"MLP h·W2ᵀ 128×10×128", 0, 1, 128, 10, 128},
    {"CNN conv1 fwd 32×676×9", 0, 0, 32, 676, 9},
    {"CNN conv2 fwd 64×121×288", 0, 0, 64, 121, 288},
    {"CNN conv2 dW 64×288×363", 0, 1, 64, 288, 363},
    {"CNN conv2 dX 288×363×64", 1, 0, 288, 363, 64},
    {"CNN dense 128×128×1600", 0, 1, 128, 128, 1600},
    {"square 2048²", 0, 0, 2048, 2048, 2048},
};
enum { SHAPES = sizeof shapes / sizeof shapes[0] };

typedef struct {
    char name[48];
    int kind;  // 0 OpenBLAS (core in `core`), 1 BLIS, 2 oneDNN
    char core[24];
} Backend;

static void *openblas, *blis, *dnnl, *gomp;
static cblas_sgemm_fn openblas_sgemm, blis_sgemm;
static dnnl_sgemm_fn dnnl_sgemm;
static void_fn dynamic_init, dynamic_quit;
static string_fn corename;
static set_int_fn openblas_threads, omp_threads;
static set_long_fn blis_threads;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void use_core(const char *core) {
    if (!dynamic_quit || !dynamic_init) return;
    dynamic_quit();
    setenv("OPENBLAS_CORETYPE", core, 1);
    dynamic_init();
}

static void set_threads(int threads) {
    if (openblas_threads) openblas_threads(threads);
    if (blis_threads) blis_threads(threads);
    if (omp_threads) omp_threads(threads);
}

static void run(const Backend *backend, const Shape *s, const float *a, const float *b, float *c) {
    int lda = s->ta ? (s->lda_m ? s->lda_m : s->m) : s->k, ldb = s->tb ? s->k : s->n;
    switch (backend->kind) {
    case 0:
        openblas_sgemm(ROW_MAJOR, s->ta ? TRANS : NO_TRANS, s->tb ? TRANS : NO_TRANS, s->m, s->n,
                       s->k, 1, a, lda, b, ldb, 0, c, s->n);
        break;
    case 1:
        blis_sgemm(ROW_MAJOR, s->ta ? TRANS : NO_TRANS, s->tb ? TRANS : NO_TRANS, s->m, s->n, s->k,
                   1, a, lda, b, ldb, 0, c, s->n);
        break;
    default:
        dnnl_sgemm(s->ta ? 'T' : 'N', s->tb ? 'T' : 'N', s->m, s->n, s->k, 1, a, lda, b, ldb, 0, c,
                   s->n);
    }
}

// Trainbook's way of using two threads (MatrixProduct): each runs a single-threaded product on
// half of C's rows.
typedef struct {
    const Backend *backend;
    Shape shape;
    const float *a, *b;
    float *c;
} Half;

static void *run_half(void *argument) {
    Half *half = argument;
    run(half->backend, &half->shape, half->a, half->b, half->c);
    return NULL;
}

static void run_split(const Backend *backend, const Shape *s, const float *a, const float *b,
                      float *c) {
    int top = s->m / 2;
    Half halves[2] = {{backend, *s, a, b, c}, {backend, *s, a, b, c}};
    halves[0].shape.m = top;
    halves[1].shape.m = s->m - top;
    halves[0].shape.lda_m = halves[1].shape.lda_m = s->m;
    // Rows of op(A): with A transposed they are columns of the stored k×m matrix (whose
    // leading dimension stays the full m: lda_m).
    halves[1].a = s->ta ? a + top : a + (size_t)top * s->k;
    halves[1].c = c + (size_t)top * s->n;
    pthread_t thread;
    pthread_create(&thread, NULL, run_half, &halves[1]);
    run_half(&halves[0]);
    pthread_join(thread, NULL);
}

// The largest relative error of C against a float64 product of the same operands.
typedef void (*runner_fn)(const Backend *, const Shape *, const float *, const float *, float *);

static double check(runner_fn runner, const Backend *backend, const Shape *s, const float *a,
                    const float *b, float *c) {
    if (s->m * (double)s->n * s->k > 3e8) return 0;  // 2048² is checked at its MLP-sized cousins
    memset(c, 0xff, (size_t)s->m * s->n * sizeof(float));  // NaNs: every element must be written
    runner(backend, s, a, b, c);
    double worst = 0;
    for (int i = 0; i < s->m; i++)
        for (int j = 0; j < s->n; j++) {
            double sum = 0, magnitude = 0;
            for (int p = 0; p < s->k; p++) {
                double x = s->ta ? a[p * s->m + i] : a[i * s->k + p];
                double y = s->tb ? b[j * s->k + p] : b[p * s->n + j];
                sum += x * y;
                magnitude += fabs(x * y);
            }
            double error = fabs(c[i * s->n + j] - sum) / (magnitude > 0 ? magnitude : 1);
            if (!(error <= worst)) worst = isnan(error) ? INFINITY : error;
        }
    return worst;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    double seconds_per_figure = argc > 2 ? atof(argv[2]) : 0.15;
    const char *only = argc > 3 ? argv[3] : NULL;  // time only shapes whose name contains this
    openblas = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    blis = dlopen("libblis.so.4", RTLD_NOW | RTLD_LOCAL);
    dnnl = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL);
    gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_NOLOAD);
    Backend backends[16];
    int count = 0;
    if (openblas) {
        openblas_sgemm = (cblas_sgemm_fn)dlsym(openblas, "cblas_sgemm");
        dynamic_init = (void_fn)dlsym(openblas, "gotoblas_dynamic_init");
        dynamic_quit = (void_fn)dlsym(openblas, "gotoblas_dynamic_quit");
        corename = (string_fn)dlsym(openblas, "openblas_get_corename");
        openblas_threads = (set_int_fn)dlsym(openblas, "openblas_set_num_threads");
        string_fn config = (string_fn)dlsym(openblas, "openblas_get_config");
        printf("OpenBLAS: %s; core chosen at load: %s\n", config ? config() : "?",
               corename ? corename() : "?");
        // Its own choice first, then each other kernel set (the same name twice is timed once).
        const char *chosen = corename ? corename() : "default";
        const char *cores[] = {chosen, "Haswell", "SkylakeX", "Cooperlake", "Prescott"};
        for (int i = 0; i < 5; i++) {
            if (i > 0 && (!dynamic_init || strcasecmp(cores[i], chosen) == 0)) continue;
            Backend *backend = &backends[count++];
            backend->kind = 0;
            snprintf(backend->core, sizeof backend->core, "%s", cores[i]);
            snprintf(backend->name, sizeof backend->name, "OpenBLAS %s%s", backend->core,
                     i == 0 ? " (its choice)" : "");
        }
    } else {
        printf("OpenBLAS: not found (%s)\n", dlerror());
    }
    if (blis) {
        blis_sgemm = (cblas_sgemm_fn)dlsym(blis, "cblas_sgemm");
        blis_threads = (set_long_fn)dlsym(blis, "bli_thread_set_num_threads");
        string_fn version = (string_fn)dlsym(blis, "bli_info_get_version_str");
        string_fn arch = (string_fn)dlsym(blis, "bli_arch_string");
        typedef int (*arch_fn)(void);
        arch_fn query = (arch_fn)dlsym(blis, "bli_arch_query_id");
        typedef const char *(*arch_name_fn)(int);
        arch_name_fn arch_name = (arch_name_fn)arch;
        if (blis_sgemm) {
            Backend *backend = &backends[count++];
            backend->kind = 1;
            snprintf(backend->name, sizeof backend->name, "BLIS");
            printf("BLIS: %s, kernels %s\n", version ? version() : "?",
                   query && arch_name ? arch_name(query()) : "?");
        }
    } else {
        printf("BLIS: not found (apt-get install libblis-dev)\n");
    }
    if (dnnl) {
        dnnl_sgemm = (dnnl_sgemm_fn)dlsym(dnnl, "dnnl_sgemm");
        typedef struct {
            int major, minor, patch;
            const char *hash;
            unsigned cpu_runtime, gpu_runtime;
        } dnnl_version_t;
        typedef const dnnl_version_t *(*version_fn)(void);
        version_fn version = (version_fn)dlsym(dnnl, "dnnl_version");
        if (dnnl_sgemm) {
            Backend *backend = &backends[count++];
            backend->kind = 2;
            snprintf(backend->name, sizeof backend->name, "oneDNN dnnl_sgemm");
            if (version)
                printf("oneDNN: %d.%d.%d\n", version()->major, version()->minor, version()->patch);
        }
        gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_NOLOAD);
    } else {
        printf("oneDNN: not found (apt-get install libdnnl-dev)\n");
    }
    if (!gomp) gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (gomp) omp_threads = (set_int_fn)dlsym(gomp, "omp_set_num_threads");

    size_t largest = 2048 * 2048;
    float *a = malloc(largest * sizeof(float)), *b = malloc(largest * sizeof(float)),
          *c = malloc(largest * sizeof(float));
    srand(1);
    for (size_t i = 0; i < largest; i++) {
        a[i] = (float)rand() / RAND_MAX - 0.5f;
        b[i] = (float)rand() / RAND_MAX - 0.5f;
    }
    // Correctness first: a back end whose results disagree is marked and not timed.
    int wrong[16] = {0};
    set_threads(1);
    for (int i = 0; i < count; i++) {
        if (backends[i].kind == 0) use_core(backends[i].core);
        for (int s = 0; s < SHAPES; s++) {
            double error = fmax(check(run, &backends[i], &shapes[s], a, b, c),
                                check(run_split, &backends[i], &shapes[s], a, b, c));
            if (error > 1e-5) {
                printf("WRONG: %s on %s, relative error %.2g\n", backends[i].name, shapes[s].name,
                       error);
                wrong[i] = 1;
            }
        }
    }
    // Modes: 1 thread; 2 threads of the library's own; 2 threads each running a single-threaded
    // product on half of C (Trainbook's MatrixProduct).
    static double best[3][16][SHAPES], best_cpu[3][16][SHAPES];
    for (int round = 0; round < rounds; round++)
        for (int t = 0; t < 3; t++) {
            set_threads(t == 1 ? 2 : 1);
            runner_fn runner = t == 2 ? run_split : run;
            for (int i = 0; i < count; i++) {
                if (wrong[i]) continue;
                if (backends[i].kind == 0) use_core(backends[i].core);
                for (int s = 0; s < SHAPES; s++) {
                    const Shape *shape = &shapes[s];
                    if (only && !strstr(shape->name, only)) continue;
                    double flops = 2.0 * shape->m * shape->n * shape->k;
                    runner(&backends[i], shape, a, b, c);  // warm
                    int repeats = 0;
                    double start = now(), cpu_start = cpu_now(), elapsed;
                    do {
                        runner(&backends[i], shape, a, b, c);
                        repeats++;
                        elapsed = now() - start;
                    } while (elapsed < seconds_per_figure);
                    double gflops = flops * repeats / elapsed / 1e9;
                    double per_cpu = flops * repeats / (cpu_now() - cpu_start) / 1e9;
                    if (gflops > best[t][i][s]) best[t][i][s] = gflops;
                    if (per_cpu > best_cpu[t][i][s]) best_cpu[t][i][s] = per_cpu;
                }
            }
        }
    if (corename) use_core(backends[0].core);
    const char *modes[] = {"1 thread", "2 threads (the library's own)",
                           "2 threads (two single-threaded products on halves of C, as Trainbook)"};
    // GFLOP per CPU-second (process CPU time, all threads): steadier than wall time on a loaded
    // machine; at 2 threads it shows the work each CPU-second does, not the speed-up.
    for (int table = 0; table < 6; table++) {
        int t = table % 3, per_cpu = table >= 3;
        printf("\n%s, %s (best of %d alternating rounds)\n\n| shape |",
               per_cpu ? "GFLOP per CPU-second" : "GFLOP/s", modes[t], rounds);
        for (int i = 0; i < count; i++) printf(" %s |", backends[i].name);
        printf("\n|---|");
        for (int i = 0; i < count; i++) printf("---:|");
        printf("\n");
        for (int s = 0; s < SHAPES; s++) {
            if (only && !strstr(shapes[s].name, only)) continue;
            printf("| %s |", shapes[s].name);
            for (int i = 0; i < count; i++) {
                if (wrong[i])
                    printf(" wrong |");
                else
                    printf(" %.1f |", (per_cpu ? best_cpu : best)[t][i][s]);
            }
            printf("\n");
        }
    }
    return 0;
}
