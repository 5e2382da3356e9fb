import Data
import NN
import Tensor

/// The data the bench trains on (the models are `BenchModels`).
enum Workloads {
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
