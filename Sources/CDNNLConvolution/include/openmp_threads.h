#pragma once
// OpenMP's thread count for the calling thread, for code that runs oneDNN (Debian builds it
// with OpenMP) from its own threads: one helper for the convolutions and the int8 products.

#ifdef __cplusplus
extern "C" {
#endif

/// Sets the OpenMP threads of the calling thread (what oneDNN's OpenMP build uses for the
/// primitives it runs or creates from it); `count` below 1 means 1. Does nothing when no
/// OpenMP runtime is loaded (see `tb_openmp_setter_found`).
void tb_openmp_set_threads(int count);

/// 1 when the process has OpenMP's `omp_set_num_threads` (libdnnl brings libgomp in), so
/// `tb_openmp_set_threads` takes effect; 0 when it does nothing, and oneDNN's OpenMP teams
/// start with as many threads as the machine has cores. Loads libdnnl if it is not loaded yet
/// (as does the first `tb_openmp_set_threads`): asking is not free.
int tb_openmp_setter_found(void);

#ifdef __cplusplus
}
#endif
