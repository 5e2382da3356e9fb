/// Zalando's Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017, "Fashion-MNIST: a Novel Image Dataset
/// for Benchmarking Machine Learning Algorithms"): 60,000 training and 10,000 test 28×28 grey
/// images of ten kinds of clothing, in MNIST's file layout, pixels scaled to [0, 1].
///
/// ```swift
/// let data = try FashionMNIST()      // from /usr/share/datasets/fashion-mnist
/// data.train.classNames[0]           // "T-shirt/top"
/// ```
public struct FashionMNIST: Sendable {
    /// The training examples.
    public let train: Dataset
    /// The test examples.
    public let test: Dataset
    /// The directory the files were read from.
    public let directory: String

    /// Where Debian's `dataset-fashion-mnist` package installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The class names, in label order.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
        "Bag", "Ankle boot",
    ]

    /// The data set in `directory` (by default Debian's copy), in MNIST's file layout.
    ///
    /// - Throws: `unreadableFile` for a missing file (install `dataset-fashion-mnist` or pass
    ///   the directory), `corruptFile` naming the file and what is wrong with it.
    public init(directory: String = FashionMNIST.defaultDirectory) throws(DataError) {
        (train, test) = try MNISTFamily.load(
            directory: directory, classNames: Self.classNames, name: "Fashion-MNIST")
        self.directory = directory
    }
}
