import NN

/// The models the benchmarks train and time, the same architectures as the PyTorch peers'
/// (bench/peers/torch_train.py and torch_infer.py), shared by `trainbook-bench` and
/// `trainbook-latency`.
public enum BenchModels {
    /// The tutorial's MLP: Flatten, Dense 784→128 relu, Dense 128→10.
    public static func mlp() throws -> Sequential {
        try Sequential {
            Flatten()
            try Dense(784, 128, activation: .relu)
            try Dense(128, 10)
        }
    }

    /// The tutorial's CNN: conv3x3-32 relu, maxpool 2, conv3x3-64 relu, maxpool 2, Flatten,
    /// Dense 1600→128 relu, Dense 128→10 (28 → 26 → 13 → 11 → 5).
    public static func cnn() throws -> Sequential {
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
