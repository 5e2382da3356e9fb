// The AVX2 variants (8 floats per vector): the shared body in KernelsVector.inc.
#if defined(__x86_64__)
#define TB_WIDTH 8
#define TB_TARGET __attribute__((target("avx2")))
#define TB_SUFFIX avx2
#include "KernelsVector.inc"
#endif
