/* The reference for Trainbook's allReduce: MPI_Allreduce (in place, MPI_FLOAT, MPI_SUM) called
 * from a minimal C program, timed the way bench/cluster/run times the cell (median of rounds,
 * each round `loops` calls after a barrier). Also the α–β fit's data: the time of one allreduce
 * at sizes from 8 bytes to 64 MiB.
 *
 * usage: mpirun -np 2 allreduce [ROUNDS [BYTES...]]   (default: sizes from 8 B to 64 MiB)
 * prints one JSON line per size on rank 0: {"bytes": N, "seconds": median seconds per call}
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int rounds = argc > 1 ? atoi(argv[1]) : 7;
    if (rounds < 1) rounds = 1;
    static const long all_sizes[] = {8, 1024, 16384, 102400, 409600, 1048576, 4194304, 16777216,
                                     41943040, 67108864};
    long chosen[16];
    const long *sizes = all_sizes;
    unsigned size_count = sizeof all_sizes / sizeof *all_sizes;
    if (argc > 2) {
        size_count = 0;
        for (int a = 2; a < argc && size_count < 16; a++) {
            long bytes = atol(argv[a]);
            if (bytes >= 4) chosen[size_count++] = bytes;
        }
        sizes = chosen;
    }
    for (unsigned s = 0; s < size_count; s++) {
        long count = sizes[s] / 4;
        float *values = malloc(count * sizeof(float));
        for (long i = 0; i < count; i++) values[i] = (float)(rank + 1);
        int loops = sizes[s] >= 4194304 ? 3 : sizes[s] >= 102400 ? 20 : 200;
        double *times = malloc(rounds * sizeof(double));
        for (int l = 0; l < loops; l++) /* warm-up: buffers, pages, connections */
            MPI_Allreduce(MPI_IN_PLACE, values, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        for (int r = 0; r < rounds; r++) {
            MPI_Barrier(MPI_COMM_WORLD);
            double start = MPI_Wtime();
            for (int l = 0; l < loops; l++)
                MPI_Allreduce(MPI_IN_PLACE, values, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            times[r] = (MPI_Wtime() - start) / loops;
        }
        qsort(times, rounds, sizeof(double), compare);
        if (rank == 0) printf("{\"bytes\": %ld, \"seconds\": %.9g}\n", sizes[s], times[rounds / 2]);
        fflush(stdout);
        free(times);
        free(values);
    }
    MPI_Finalize();
    return 0;
}
