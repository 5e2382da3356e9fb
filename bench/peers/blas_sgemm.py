"""The practical limit of float32 matrix multiplication on this machine: the system OpenBLAS
(the very library Trainbook links) multiplying two large square matrices, called through ctypes
on buffers allocated once.

    python blas_sgemm.py [--size N] [--threads T] [--repeats R]

Prints one JSON line: the size, the thread count OpenBLAS reports, each repeat's wall and CPU
seconds, and the best and median GFLOP/s (2·N³ floating-point operations per product; by wall
time, and by CPU time, which a loaded machine disturbs less: at one thread the two agree on an
idle machine).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import statistics
import time

import numpy as np

from report import emit

ROW_MAJOR, NO_TRANSPOSE = 101, 111


def openblas() -> ctypes.CDLL:
    """The system OpenBLAS, as Trainbook's COpenBLAS module map links it."""
    for name in ("libopenblas.so.0", ctypes.util.find_library("openblas")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    raise OSError("the system OpenBLAS (libopenblas0) is not installed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()

    library = openblas()
    library.openblas_set_num_threads(ctypes.c_int(options.threads))
    library.openblas_get_num_threads.restype = ctypes.c_int
    library.openblas_get_config.restype = ctypes.c_char_p
    n = options.size
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    c = np.zeros((n, n), dtype=np.float32)
    pointer = ctypes.POINTER(ctypes.c_float)

    def multiply() -> None:
        library.cblas_sgemm(
            ROW_MAJOR, NO_TRANSPOSE, NO_TRANSPOSE, n, n, n, ctypes.c_float(1.0),
            a.ctypes.data_as(pointer), n, b.ctypes.data_as(pointer), n, ctypes.c_float(0.0),
            c.ctypes.data_as(pointer), n,
        )  # fmt: skip

    multiply()  # warm-up: thread pool, page faults
    seconds, cpu_seconds = [], []
    for _ in range(options.repeats):
        cpu_start, start = time.process_time(), time.perf_counter()
        multiply()
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    flops = 2.0 * n * n * n
    emit(
        "sgemm_square", size=n, threads=library.openblas_get_num_threads(),
        config=library.openblas_get_config().decode(), seconds=seconds, cpu_seconds=cpu_seconds,
        best_gflops=flops / min(seconds) / 1e9, median_gflops=flops / statistics.median(seconds) / 1e9,
        median_cpu_gflops=flops / statistics.median(cpu_seconds) / 1e9,
    )  # fmt: skip


if __name__ == "__main__":
    main()
