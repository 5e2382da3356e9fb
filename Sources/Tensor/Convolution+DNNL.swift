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

    /// The images of `part` in runs of at most `DNNLConvolution.imagesPerExecution`.
    private func chunks(of part: Range<Int>) -> [Range<Int>] {
        stride(from: part.lowerBound, to: part.upperBound, by: DNNLConvolution.imagesPerExecution)
            .map { $0..<Swift.min($0 + DNNLConvolution.imagesPerExecution, part.upperBound) }
    }

    /// The primitives for every run of images the parts hold, by run length (a full run and
    /// the last, shorter ones), created now; nil when oneDNN has none for one of them.
    private func primitives(hasBias: Bool, relu: Bool) -> [Int: DNNLConvolution]? {
        var made: [Int: DNNLConvolution] = [:]
        for part in parts {
            for chunk in chunks(of: part) where made[chunk.count] == nil {
                guard
                    let primitive = DNNLConvolution.cached(
                        DNNLConvolution.Key(
                            geometry: geometry, batch: chunk.count, outputs: outputs,
                            hasBias: hasBias, relu: relu, threads: 1))
                else { return nil }
                made[chunk.count] = primitive
            }
        }
        return made.isEmpty ? nil : made
    }

    /// A workspace per part for `pass` (reordered operands and scratchpads), big enough for
    /// each of `made`, from the buffer pool so that other work reuses the memory in between;
    /// nil when oneDNN failed.
    private func workspaces(
        _ made: [Int: DNNLConvolution], _ pass: DNNLConvolution.Pass
    ) throws(TensorError) -> [Tensor]? {
        var bytes = 0
        for primitive in made.values {
            guard let needed = primitive.workspaceBytes(pass) else { return nil }
            bytes = Swift.max(bytes, needed)
        }
        var all: [Tensor] = []
        for _ in parts {
            all.append(
                try Tensor(uninitializedShape: [Swift.max(1, (bytes + 3) / 4)], dtype: .float32))
        }
        return all
    }

    /// `forward(bias:activation:)` on oneDNN, ReLU fused into the primitive (other activations
    /// applied after); nil for the im2col path.
    /// With `pooling`, each run's output goes to its part's scratch and is pooled from there.
    func dnnlForward(
        bias: Tensor?, activation: FusedActivation, pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> Tensor? {
        let relu = activation == .relu
        guard usesDNNL(.forward), let made = primitives(hasBias: bias != nil, relu: relu),
            let workspaces = try workspaces(made, .forward)
        else { return nil }
        let g = geometry
        let (inputImage, outputImage) = (g.channels * g.inputPlane, outputs * g.outputPlane)
        let result = try Tensor(
            uninitializedShape: pooling == nil
                ? [g.batch, outputs, g.outputHeight, g.outputWidth] : [1], dtype: .float32)
        var scratch: [Tensor] = []
        if pooling != nil {
            for _ in parts {
                scratch.append(
                    try Tensor(
                        uninitializedShape: [DNNLConvolution.imagesPerExecution * outputImage],
                        dtype: .float32))
            }
        }
        let failed = Mutex(false)
        let biasValues = bias.map { UnsafePointer($0.floats) }
        // Pooled straight from oneDNN's nChw16c output when every primitive writes it.
        let blocked =
            pooling?.fitsBlockedKernels == true && made.values.allSatisfy(\.writesBlockedOutput)
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            for chunk in chunks(of: images) {
                let output =
                    pooling == nil
                    ? result.floats + chunk.lowerBound * outputImage : scratch[part].floats
                guard let primitive = made[chunk.count],
                    primitive.forward(
                        input.floats + chunk.lowerBound * inputImage, weight: weight.floats,
                        bias: biasValues, into: output, blocked: blocked,
                        workspace: workspaces[part].rawBytes)
                else {
                    failed.withLock { $0 = true }
                    return
                }
                if !relu { activation.apply(inPlace: output, count: chunk.count * outputImage) }
                if blocked {
                    pooling?.poolBlocked(images: chunk, from: output)
                } else {
                    pooling?.pool(images: chunk, from: output)
                }
            }
        }
        return failed.withLock { $0 } ? nil : pooling?.pooled ?? result
    }

    /// `backward(_:output:activation:needs:)` on oneDNN; nil for the im2col path. Each part's
    /// first run of images writes its weight and bias gradients, the next ones add theirs.
    /// With `pooling`, `gradient` is the pooled output's, scattered back run by run.
    func dnnlBackward(
        _ gradient: Tensor, output: Tensor?, activation: FusedActivation,
        needs: (input: Bool, weight: Bool, bias: Bool), pooling: ConvolutionPooling? = nil
    ) throws(TensorError) -> (input: Tensor?, weight: Tensor?, bias: Tensor?)? {
        // The forward's primitives (same key), whose backward ones come with them.
        // (A bias gradient needs a primitive with a bias, even if the forward was told of none.)
        guard usesDNNL(.backward), activation == .identity || output != nil || pooling != nil,
            let made = primitives(hasBias: hasBias || needs.bias, relu: activation == .relu),
            let workspaces = try workspaces(made, .backward)
        else { return nil }
        let g = geometry
        let (inputImage, outputImage) = (g.channels * g.inputPlane, outputs * g.outputPlane)
        let inputGradient =
            needs.input ? try Tensor(uninitializedShape: input.shape, dtype: .float32) : nil
        let run = DNNLConvolution.imagesPerExecution
        // Per part: its weight and bias gradients, the next run's (to add), and the gradient
        // through the activation's derivative for one run (`.identity`: the gradient itself).
        var weightGradients: [Tensor] = []
        var biasGradients: [Tensor] = []
        var scratch: [(weight: Tensor, bias: Tensor, through: Tensor?)] = []
        for _ in parts {
            if needs.weight {
                weightGradients.append(
                    try Tensor(uninitializedShape: weight.shape, dtype: .float32))
            }
            if needs.bias {
                biasGradients.append(try Tensor(uninitializedShape: [outputs], dtype: .float32))
            }
            scratch.append(
                (
                    try Tensor(uninitializedShape: weight.shape, dtype: .float32),
                    try Tensor(uninitializedShape: [outputs], dtype: .float32),
                    activation == .identity && pooling == nil
                        ? nil : try Tensor(uninitializedShape: [run * outputImage], dtype: .float32)
                ))
        }
        let failed = Mutex(false)
        // The pooled gradient scattered straight into oneDNN's nChw16c when both backward
        // primitives read it so.
        let blocked =
            pooling?.fitsBlockedKernels == true && made.values.allSatisfy(\.readsBlockedGradient)
        try Parallelism.forEachPartition(parts) { part, images throws(TensorError) in
            for (index, chunk) in chunks(of: images).enumerated() {
                let offset = chunk.lowerBound * outputImage
                var through = UnsafePointer(gradient.floats + offset)
                if blocked, let pooling, let buffer = scratch[part].through {
                    for (position, image) in chunk.enumerated() {
                        pooling.scatterBlocked(
                            gradient.floats, image: image,
                            into: buffer.floats + position * outputImage)
                    }
                    through = UnsafePointer(buffer.floats)
                } else if let pooling, let buffer = scratch[part].through {
                    for (position, image) in chunk.enumerated() {
                        for channel in 0..<outputs {
                            pooling.scatter(
                                gradient.floats, image: image, channel: channel,
                                into: buffer.floats + position * outputImage + channel
                                    * g.outputPlane)
                        }
                    }
                    through = UnsafePointer(buffer.floats)
                } else if let output, let buffer = scratch[part].through {
                    activation.backward(
                        gradient.floats + offset, output: output.floats + offset,
                        into: buffer.floats, count: chunk.count * outputImage)
                    through = UnsafePointer(buffer.floats)
                }
                let first = index == 0
                // The first run writes the part's gradients, the next ones a scratch to add.
                let weightTarget =
                    needs.weight ? (first ? weightGradients[part] : scratch[part].weight) : nil
                let biasTarget =
                    needs.bias ? (first ? biasGradients[part] : scratch[part].bias) : nil
                guard let primitive = made[chunk.count],
                    primitive.backward(
                        input.floats + chunk.lowerBound * inputImage, weight: weight.floats,
                        gradient: through, blockedGradient: blocked,
                        input: inputGradient.map { $0.floats + chunk.lowerBound * inputImage },
                        weightGradient: weightTarget?.floats, biasGradient: biasTarget?.floats,
                        workspace: workspaces[part].rawBytes)
                else {
                    failed.withLock { $0 = true }
                    return
                }
                if !first, needs.weight {
                    FloatRun.add(
                        scratch[part].weight.floats, onto: weightGradients[part].floats,
                        count: weight.elementCount)
                }
                if !first, needs.bias {
                    FloatRun.add(
                        scratch[part].bias.floats, onto: biasGradients[part].floats,
                        count: outputs)
                }
            }
        }
        if failed.withLock({ $0 }) { return nil }
        return (inputGradient, Self.total(weightGradients), Self.total(biasGradients))
    }
}

extension Tensor {
    /// The bytes of this float32 tensor's elements, as a oneDNN workspace.
    fileprivate var rawBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: floats, count: elementCount * 4)
    }
}
