#pragma once
// Open MPI's handles are macros over addresses of global objects, which Swift cannot import:
// each is returned by a small inline function instead.
#include <mpi.h>
#include <sys/prctl.h>

static inline MPI_Comm tb_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype tb_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype tb_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype tb_mpi_int(void) { return MPI_INT; }
static inline MPI_Op tb_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op tb_mpi_max(void) { return MPI_MAX; }
static inline void *tb_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Request tb_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *tb_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *tb_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline MPI_Errhandler tb_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

// Sets the calling thread's timer slack (prctl is variadic, which Swift cannot call): how late
// a sleep may end. Linux's default, 50 µs, makes a 20 µs sleep last about 70 µs. The slack is
// a per-thread setting, so it is set once per thread (a thread-local flag); returns prctl's
// result (0, or -1 when refused: the sleeps then only last longer) from that first call, 0
// afterwards.
static inline int tb_set_timer_slack_once(unsigned long nanoseconds) {
    static __thread int isSet = 0;
    if (isSet) return 0;
    isSet = 1;
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}
