import Data
import NN
import Tensor

/// The models and data the bench trains.
enum Workloads {
    /// The tutorial's MLP: Flatten, Dense 784→128 relu, Dense 128→10.
    static func mlp() throws -> Sequential {
        try Sequential {
            Flatten()
            try Dense(784, 128, activation: .relu)
            try Dense(128, 10)
        }
    }

    /// The tutorial's CNN: conv3x3-32 relu, maxpool 2, conv3x3-64 relu, maxpool 2, Flatten,
    /// Dense 1600→128 relu, Dense 128→10 (28 → 26 → 13 → 11 → 5).
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

    /// The training and test sets asked for.
    static func data(_ options: BenchOptions) throws -> (train: Dataset, test: Dataset) {
        switch options.data {
        case .fashion:
            let set = try FashionMNIST(
                directory: options.dataDirectory ?? FashionMNIST.defaultDirectory)
            return (set.train, set.test)
        case .mnist5k:
            let set = try options.dataDirectory.map { try MNIST(directory: $0) } ?? MNIST()
            return (set.train, set.test)
        }
    }
}
