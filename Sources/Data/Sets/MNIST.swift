/// Handwritten digits 0–9 as 28×28 grey images (LeCun, Cortes & Burges, "The MNIST database of
/// handwritten digits"), pixels scaled to [0, 1].
///
/// `MNIST()` loads the 5,000-image subset bundled with Trainbook (4,000 training and 1,000 test
/// images, 400 and 100 per digit; CC BY-SA 3.0, see Resources/mnist-5k/README.md);
/// `MNIST(directory:)` loads any directory in MNIST's layout, such as the full 60,000 + 10,000.
///
/// ```swift
/// let digits = try MNIST()
/// digits.train.count        // 4000
/// digits.train.elementShape // [1, 28, 28]
/// ```
public struct MNIST: Sendable {
    /// The training examples.
    public let train: Dataset
    /// The test examples.
    public let test: Dataset
    /// The directory the files were read from.
    public let directory: String

    /// The digit names, "0" to "9".
    public static let classNames = (0...9).map(String.init)

    /// The data set in `directory`: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
    /// `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each raw or with `.gz`.
    ///
    /// - Throws: `unreadableFile` for a missing file, `corruptFile` naming the file and what is
    ///   wrong with it.
    public init(directory: String) throws(DataError) {
        (train, test) = try MNISTFamily.load(
            directory: directory, classNames: Self.classNames, name: "MNIST")
        self.directory = directory
    }

    /// The bundled 5,000-image subset (4,000 training, 1,000 test images).
    ///
    /// - Throws: `missingResource` if the program was moved away from its resources.
    public init() throws(DataError) {
        let directory = try BundledResources.directory(named: "mnist-5k")
        (train, test) = try MNISTFamily.load(
            directory: directory, classNames: Self.classNames, name: "MNIST-5k")
        self.directory = directory
    }
}
