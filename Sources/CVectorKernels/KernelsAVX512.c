// The AVX-512 variants (16 floats per vector): the shared body in KernelsVector.inc.
#if defined(__x86_64__)
#define TB_WIDTH 16
#define TB_TARGET __attribute__((target("avx512f")))
#define TB_SUFFIX avx512
#include "KernelsVector.inc"
#endif
