/// Loads a training and a test set stored as MNIST stores them: four IDX files (images and
/// labels, `train` and `t10k`), raw or gzip-compressed.
enum MNISTFamily {
    /// The file names tried for one part, in order: gzip first, then raw, then the
    /// dotted spelling some mirrors use.
    static func candidates(_ stem: String, _ kind: String, _ rank: Int) -> [String] {
        [
            "\(stem)-\(kind)-idx\(rank)-ubyte.gz", "\(stem)-\(kind)-idx\(rank)-ubyte",
            "\(stem)-\(kind).idx\(rank)-ubyte.gz", "\(stem)-\(kind).idx\(rank)-ubyte",
        ]
    }

    /// The training and test sets in `directory`.
    static func load(directory: String, classNames: [String], name: String) throws(DataError)
        -> (train: Dataset, test: Dataset)
    {
        let train = try loadPart(
            directory: directory, stem: "train", classNames: classNames, name: "\(name) train")
        let test = try loadPart(
            directory: directory, stem: "t10k", classNames: classNames, name: "\(name) test")
        guard train.elementShape == test.elementShape else {
            let shape = { (shape: [Int]) in
                shape.dropFirst().map(String.init).joined(separator: "×")
            }
            throw .incompatible(
                operation: name,
                message: "the training images are \(shape(train.elementShape)) but the test "
                    + "images are \(shape(test.elementShape)) in \(directory); both files must "
                    + "come from the same data set")
        }
        return (train, test)
    }

    private static func loadPart(
        directory: String, stem: String, classNames: [String], name: String
    ) throws(DataError) -> Dataset {
        let imagesPath = try locate(directory, candidates(stem, "images", 3))
        let labelsPath = try locate(directory, candidates(stem, "labels", 1))
        let images = try IDXFile.read(imagesPath)
        let labels = try IDXFile.read(labelsPath)
        guard images.shape.count == 3 else {
            throw .corruptFile(
                path: imagesPath,
                problem: "images must have rank 3 (count, rows, columns), found shape "
                    + "\(images.shape)")
        }
        guard labels.shape.count == 1 else {
            throw .corruptFile(
                path: labelsPath, problem: "labels must have rank 1, found shape \(labels.shape)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw .corruptFile(
                path: labelsPath,
                problem: "\(labels.shape[0]) labels for \(images.shape[0]) images in "
                    + imagesPath)
        }
        let labelBytes = try labels.bytes()
        if let bad = labelBytes.firstIndex(where: { Int($0) >= classNames.count }) {
            throw .corruptFile(
                path: labelsPath,
                problem: "label \(labelBytes[bad]) of example \(bad) is not one of the "
                    + "\(classNames.count) classes")
        }
        return try Dataset(
            images: images.bytes(), elementShape: [1, images.shape[1], images.shape[2]],
            labels: labelBytes.map { Int32($0) }, classNames: classNames, name: name)
    }

    private static func locate(_ directory: String, _ names: [String]) throws(DataError) -> String {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        for name in names where FileBytes.exists("\(base)/\(name)") {
            return "\(base)/\(name)"
        }
        throw .unreadableFile(
            path: "\(base)/\(names[1])(.gz)", reason: "no such file in \(directory)")
    }
}
