// Tensor: n-dimensional Float32 arrays, their operations and reverse-mode autodiff.
//
// Design note. Row-major storage with shape and strides; matrix work goes through OpenBLAS;
// every differentiable op records a backward rule on a define-by-run tape, checked against
// central finite differences in the tests. Errors (shape mismatch, bad axis, out-of-range index)
// are thrown, never trapped.
