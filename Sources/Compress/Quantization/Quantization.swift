// Int8 quantization: models whose Dense layers compute in 8-bit integers.
//
// Design note. A quantized model is an ordinary `Sequential` whose `Dense` layers were replaced
// by `QuantizedDense` layers, so everything that takes a `Layer` (predict, evaluate, summary,
// save(to:), loadModel(from:) through NN's `LayerBuilderRegistry`) handles it. Weights are int8
// per output channel, symmetric; activations uint8 per tensor, affine (Jacob et al. 2018), so the
// product is oneDNN's `dnnl_gemm_u8s8s32` (`Int8Product`), exact in int32, with the activations'
// zero point applied inside it. The epilogue that turns int32 sums back into float32 (scales,
// bias, ReLU) or straight into the next int8 layer's uint8 codes ("requantization") is a C loop
// in `CInt8Kernels`, compiled in x86-64-v4, -v3 and baseline variants chosen at run time.
//
// Three ways in: `quantize(_:calibration:method:)` (static: each layer's input range fixed
// beforehand by a `RangeObserver` on calibration batches, min-max, percentile or TensorRT's
// entropy), `quantize(_:mode: .dynamic)` (the range of each batch at run time, as PyTorch's
// `quantize_dynamic`), and quantization-aware training (`FakeQuantizedDense`: fake quantization
// with the straight-through estimator of `Tensor.fakeQuantized`, then
// `convertQuantizationAware`). Static and QAT conversion share one path: layers that know their
// input range (`QuantizationCandidate`) become `QuantizedDense`, chained when adjacent.
//
// Conv2D layers stay float32 (as with `quantize_dynamic`); the int8 file layout is in
// docs/int8-safetensors.md.
