// omp_set_num_threads found at run time in the process's libraries (libdnnl brings libgomp in),
// without linking libgomp ourselves: its unversioned .so is only in libgcc-dev. The first call of
// either function below loads libdnnl (dnnl_library.h) if it is not loaded yet, since oneDNN is
// what brings the OpenMP runtime in: even asking whether the setter exists costs that load.
#include "openmp_threads.h"

#include "dnnl_library.h"

#include <dlfcn.h>
#include <pthread.h>

static void (*tb_omp_set_num_threads)(int);
static pthread_once_t tb_omp_lookup = PTHREAD_ONCE_INIT;

static void tb_find_openmp(void) {
    tb_dnnl_load();  // oneDNN, loaded on first use, is what brings libgomp in
    tb_omp_set_num_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
}

void tb_openmp_set_threads(int count) {
    pthread_once(&tb_omp_lookup, tb_find_openmp);
    if (tb_omp_set_num_threads) tb_omp_set_num_threads(count > 0 ? count : 1);
}

int tb_openmp_setter_found(void) {
    pthread_once(&tb_omp_lookup, tb_find_openmp);
    return tb_omp_set_num_threads != NULL;
}
