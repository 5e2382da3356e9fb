import NN
import Tensor

/// The input range a fake-quantized layer tracks in quantization-aware training: the moving
/// average of batch minima and maxima (PyTorch's `MovingAverageMinMaxObserver`, averaging
/// constant 0.01); the first batch sets it.
struct MovingAverageRange {
    /// The weight of each new batch's range in the moving average.
    static let averagingConstant: Float = 0.01
    /// The tracked range, nil before the first batch.
    var range: ClosedRange<Float>?

    /// Moves the range towards that of `input`'s finite values.
    mutating func observe(_ input: Tensor) throws {
        let observer = RangeObserver(method: .minMax)
        try observer.observe(input.detached)
        guard !observer.isEmpty, observer.low.isFinite, observer.high.isFinite else { return }
        guard let current = range else {
            range = observer.low...observer.high
            return
        }
        let c = Self.averagingConstant
        let low = current.lowerBound + c * (observer.low - current.lowerBound)
        let high = current.upperBound + c * (observer.high - current.upperBound)
        range = Swift.min(low, high)...Swift.max(low, high)
    }

    /// The affine uint8 quantization of the range.
    func quantization(layer: String) throws -> ActivationQuantization {
        guard let range else {
            throw CompressError.unsupported(
                function: layer,
                message: "no input range yet: train or run the model on some data first")
        }
        return ActivationQuantization(low: range.lowerBound, high: range.upperBound)
    }

    /// `input` fake-quantized to the uint8 levels of the range (straight-through gradient).
    func fakeQuantize(_ input: Tensor, layer: String) throws -> Tensor {
        let q = try quantization(layer: layer)
        return try input.fakeQuantized(scales: [q.scale], zeroPoints: [q.zeroPoint - 128])
    }

    /// Adds the tracked range, when there is one, as the `inputLow` and `inputHigh` options of
    /// an architecture.
    func record(into options: inout [String: ArchitectureOption]) {
        guard let range else { return }
        options["inputLow"] = .float(range.lowerBound)
        options["inputHigh"] = .float(range.upperBound)
    }

    /// The range recorded by `record(into:)`, removed from `options` (none when absent).
    init(takingFrom options: inout [String: ArchitectureOption], layer: String) throws {
        let low = options.removeValue(forKey: "inputLow")
        let high = options.removeValue(forKey: "inputHigh")
        func number(_ option: ArchitectureOption?) -> Float? {
            switch option {
            case .number(let value)?: return Float(value)
            case .int(let value)?: return Float(value)
            default: return nil
            }
        }
        switch (number(low), number(high)) {
        case (let lowValue?, let highValue?) where lowValue <= highValue:
            range = lowValue...highValue
        case (nil, nil) where low == nil && high == nil:
            range = nil
        default:
            throw NNError.invalidArchitecture(
                "\(layer): inputLow and inputHigh must be numbers, low ≤ high")
        }
    }

    /// No range yet.
    init() {}
}

extension MovingAverageRange {
    /// The architecture of a fake-quantized layer of type `type`: the wrapped layer's own,
    /// renamed, with the tracked range beside its options.
    func architecture(wrapping inner: any Layer, as type: String) throws -> LayerArchitecture {
        var architecture = try inner.architecture()
        architecture.type = type
        record(into: &architecture.options)
        return architecture
    }

    /// The wrapped layer (of type `innerType`) and the tracked range of an architecture that
    /// `architecture(wrapping:as:)` wrote.
    static func unwrapping<Inner: Layer>(
        _ architecture: LayerArchitecture, innerType: String, as _: Inner.Type
    ) throws -> (inner: Inner, range: MovingAverageRange) {
        var options = architecture.options
        let range = try MovingAverageRange(takingFrom: &options, layer: architecture.type)
        guard let inner = try LayerArchitecture(type: innerType, options: options).build() as? Inner
        else {
            throw NNError.invalidArchitecture(
                "\(architecture.type): the options describe no \(innerType)")
        }
        return (inner, range)
    }
}
