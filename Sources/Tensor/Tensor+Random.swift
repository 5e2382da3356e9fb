// Random tensors drawn from a `RandomGenerator`, element by element in row-major order, so a
// seed determines every value whatever the thread count.

extension Tensor {
    /// Values uniformly distributed in [`low`, `high`).
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 0)
    /// let w = try Tensor.uniform([784, 128], low: -0.1, high: 0.1, using: &rng)
    /// ```
    public static func uniform(
        _ shape: [Int], low: Float = 0, high: Float = 1, using generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        guard low.isFinite, high.isFinite, low <= high else {
            throw .invalidArgument(
                operation: "uniform", message: "needs finite bounds with low <= high")
        }
        let result = try Tensor(uninitializedShape: shape, dtype: .float32, operation: "uniform")
        let target = result.floats
        let width = high - low
        for index in 0..<result.elementCount {
            target[index] = low + width * generator.nextUniform()
        }
        return result
    }

    /// Values from a normal distribution with the given mean and standard deviation.
    public static func normal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        guard mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
            throw .invalidArgument(
                operation: "normal",
                message: "needs a finite mean and a finite, non-negative standard deviation")
        }
        let result = try Tensor(uninitializedShape: shape, dtype: .float32, operation: "normal")
        let target = result.floats
        for index in 0..<result.elementCount {
            target[index] = mean + standardDeviation * generator.nextNormal()
        }
        return result
    }

    /// 1 with probability `probability` and 0 otherwise (a dropout keep-mask, for example).
    public static func bernoulli(
        _ shape: [Int], probability: Float, using generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        guard probability >= 0, probability <= 1 else {
            throw .invalidArgument(
                operation: "bernoulli", message: "probability \(probability) is not in [0, 1]")
        }
        let result = try Tensor(
            uninitializedShape: shape, dtype: .float32, operation: "bernoulli")
        let target = result.floats
        for index in 0..<result.elementCount {
            target[index] = generator.nextUniform() < probability ? 1 : 0
        }
        return result
    }
}

// MARK: - Drawing from the default generator

extension Tensor {
    /// Uniform values in [`low`, `high`) from the default generator (see `RandomGenerator`).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1)
        throws(TensorError) -> Tensor
    {
        try withDefaultGenerator { (rng) throws(TensorError) in
            try uniform(shape, low: low, high: high, using: &rng)
        }
    }

    /// Normal values from the default generator (see `RandomGenerator`).
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1)
        throws(TensorError) -> Tensor
    {
        try withDefaultGenerator { (rng) throws(TensorError) in
            try normal(shape, mean: mean, standardDeviation: standardDeviation, using: &rng)
        }
    }

    /// Bernoulli values from the default generator (see `RandomGenerator`).
    public static func bernoulli(_ shape: [Int], probability: Float) throws(TensorError)
        -> Tensor
    {
        try withDefaultGenerator { (rng) throws(TensorError) in
            try bernoulli(shape, probability: probability, using: &rng)
        }
    }

    private static func withDefaultGenerator(
        _ body: (inout RandomGenerator) throws(TensorError) -> Tensor
    ) throws(TensorError) -> Tensor {
        let result = RandomGenerator.withDefault { rng in
            Result { () throws(TensorError) in try body(&rng) }
        }
        return try result.get()
    }
}
