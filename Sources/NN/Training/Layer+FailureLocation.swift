import Tensor

// Naming the layer where a forward pass fails, so "shapes [128, 784] and [10, 64] do not match"
// becomes "… in layer 2: Dense(64 → 10)".

extension Layer {
    /// The dotted position and description of the first layer that throws on `input`
    /// ("layer 2: Dense(64 → 10)"), found by running a Sequential child by child in evaluation
    /// mode without the tape; nil if the forward pass does not fail that way (the failure was
    /// in the loss, for example) or the model is not a Sequential.
    func locateFailure(on input: Tensor) -> String? {
        guard let sequential = self as? Sequential else { return nil }
        return evaluating {
            withoutGradient { failingLayer(in: sequential, prefix: "", input: input) }
        }
    }
}

private func failingLayer(in sequential: Sequential, prefix: String, input: Tensor) -> String? {
    var value = input
    for (index, layer) in sequential.layers.enumerated() {
        let name = prefix + String(index)
        do {
            value = try layer(value)
        } catch {
            if let inner = layer as? Sequential,
                let location = failingLayer(in: inner, prefix: name + ".", input: value)
            {
                return location
            }
            let configuration = layer.configurationSummary
            let described =
                configuration.isEmpty ? layer.typeName : "\(layer.typeName)(\(configuration))"
            return "layer \(name): \(described)"
        }
    }
    return nil
}

/// The error of a failed batch with where it happened: "fit (epoch 1, batch 3 of 469, layer 1:
/// Dense(784 → 128)): …".
func describeFailure(
    _ error: any Error, epoch: Int, batch: Int?, batchCount: Int, location: String?
) -> NNError {
    var place = "epoch \(epoch + 1)"
    if let batch {
        place += ", batch \(batch + 1) of \(batchCount)"
    } else {
        place += ", validation"
    }
    if let location { place += ", \(location)" }
    return .invalidArgument(function: "fit (\(place))", message: "\(error)")
}
