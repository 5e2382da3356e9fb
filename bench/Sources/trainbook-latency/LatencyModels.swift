import NN

/// The models whose inference is timed: the same architectures as `trainbook-bench`'s
/// workloads and the PyTorch peer's (bench/peers/torch_infer.py), freshly initialised (the
/// weights' values do not change the time of a forward pass).
enum LatencyModels {
    /// Flatten, Dense 784→128 relu, Dense 128→10.
    static func mlp() throws -> Sequential {
        try Sequential {
            Flatten()
            try Dense(784, 128, activation: .relu)
            try Dense(128, 10)
        }
    }

    /// conv3x3-32 relu, maxpool 2, conv3x3-64 relu, maxpool 2, Flatten, Dense 1600→128 relu,
    /// Dense 128→10 (28 → 26 → 13 → 11 → 5).
    static func cnn() throws -> Sequential {
        try Sequential {
            try Conv2D(1, 32, kernelSize: 3, activation: .relu)
            MaxPool2D(2)
            try Conv2D(32, 64, kernelSize: 3, activation: .relu)
            MaxPool2D(2)
            Flatten()
            try Dense(64 * 5 * 5, 128, activation: .relu)
            try Dense(128, 10)
        }
    }
}
