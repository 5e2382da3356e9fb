// The convolution's passes on oneDNN's primitives (`DNNLConvolution`), over the same parts of
// the batch as the im2col path: each part is one single-threaded primitive execution on its
// own thread. oneDNN never starts its OpenMP team, whose threads spin at barriers and would
// compete with ours and OpenBLAS's (as in `Int8Product`); a batch too small to split runs on
// one thread. Each pass returns nil when the backend is im2col or oneDNN has no primitive for
// the shape, and the caller runs the im2col path instead.

import Synchronization

extension Convolution {
    /// Whether the backend runs `pass` on oneDNN at this shape.
    private func usesDNNL(_ pass: DNNLConvolution.Pass) -> Bool {
        switch backend {
        case .im2col: false
        case .oneDNN: true
        case .automatic: geometry.columnRows >= DNNLConvolution.minimumWindow(pass)
        }
    }

    /// The primitives for a part of `images` images, or nil for the im2col path.
    private func primitive(images: Int, hasBias: Bool, relu: Bool) -> DNNLConvolution? {
        guard images > 0 else { return nil }
        return DNNLConvolution.cached(
            DNNLConvolution.Key(
                geometry: geometry, batch: images, outputs: outputs, hasBias: hasBias,
                relu: relu, threads: 1))
    }

    /// The primitives for every part, or nil when any part has none.
    private func primitives(hasBias: Bool, relu: Bool) -> [DNNLConvolution]? {
        var all: [DNNLConvolution] = []
        for part in parts {
            guard let made = primitive(images: part.count, hasBias: hasBias, relu: relu) else {
                return nil
            }
            all.append(made)
        }
        return all.isEmpty ? nil : all
    }

    /// `forward(bias:activation:)` on oneDNN, ReLU fused into the primitive (other activations
    /// applied after); nil for the im2col path.
    func dnnlForward(bias: Tensor?, activation: FusedActivation) throws(TensorError) -> Tensor? {
        let relu = activation == .relu
        guard usesDNNL(.forward), let made = primitives(hasBias: bias != nil, relu: relu)
        else { return nil }
        let g = geometry
        let result = try Tensor(
            uninitializedShape: [g.batch, outputs, g.outputHeight, g.outputWidth], dtype: .float32)
        let (inputImage, outputImage) = (g.channels * g.inputPlane, outputs * g.outputPlane)
        let failed = Mutex(false)
        let biasValues = bias.map { UnsafePointer($0.floats) }
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            let output = result.floats + images.lowerBound * outputImage
            let done = made[part].forward(
                input.floats + images.lowerBound * inputImage, weight: weight.floats,
                bias: biasValues, into: output)
            if !done { failed.withLock { $0 = true } }
            if !relu { activation.apply(inPlace: output, count: images.count * outputImage) }
        }
        return failed.withLock { $0 } ? nil : result
    }

    /// `backward(_:output:activation:needs:)` on oneDNN; nil for the im2col path.
    func dnnlBackward(
        _ gradient: Tensor, output: Tensor?, activation: FusedActivation,
        needs: (input: Bool, weight: Bool, bias: Bool)
    ) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?)? {
        // The forward's primitives (same key), whose backward ones come with them.
        // (A bias gradient needs a primitive with a bias, even if the forward was told of none.)
        guard usesDNNL(.backward), activation == .identity || output != nil,
            let made = primitives(hasBias: hasBias || needs.bias, relu: activation == .relu)
        else { return nil }
        let g = geometry
        let (inputImage, outputImage) = (g.channels * g.inputPlane, outputs * g.outputPlane)
        let inputGradient =
            needs.input ? try Tensor(uninitializedShape: input.shape, dtype: .float32) : nil
        var weightGradients: [Tensor] = []
        var biasGradients: [Tensor] = []
        for _ in 0..<parts.count {
            if needs.weight {
                weightGradients.append(
                    try Tensor(uninitializedShape: weight.shape, dtype: .float32))
            }
            if needs.bias {
                biasGradients.append(try Tensor(uninitializedShape: [outputs], dtype: .float32))
            }
        }
        // The gradient through the activation's derivative (`.identity`: the gradient itself).
        let through =
            activation == .identity
            ? gradient : try Tensor(uninitializedShape: gradient.shape, dtype: .float32)
        let failed = Mutex(false)
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            let offset = images.lowerBound * outputImage
            if let output, activation != .identity {
                activation.backward(
                    gradient.floats + offset, output: output.floats + offset,
                    into: through.floats + offset, count: images.count * outputImage)
            }
            let done = made[part].backward(
                input.floats + images.lowerBound * inputImage, weight: weight.floats,
                gradient: through.floats + offset,
                input: inputGradient.map { $0.floats + images.lowerBound * inputImage },
                weightGradient: needs.weight ? weightGradients[part].floats : nil,
                biasGradient: needs.bias ? biasGradients[part].floats : nil)
            if !done { failed.withLock { $0 = true } }
        }
        if failed.withLock({ $0 }) { return nil }
        return (inputGradient, Self.total(weightGradients), Self.total(biasGradients))
    }
}
