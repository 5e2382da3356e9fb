/// Counts of (actual class, predicted class) pairs over a data set, with the class names: the
/// data behind a confusion-matrix heatmap and behind precision, recall and F1.
///
/// Rows are actual classes and columns predicted ones, as scikit-learn's `confusion_matrix`.
///
/// ```swift
/// let matrix = try model.confusionMatrix(data.test)
/// matrix[actual: 6, predicted: 0]     // shirts taken for T-shirts
/// matrix.recall(ofClass: 6)
/// matrix.rows                          // [[Int]] for a heatmap
/// ```
public struct ConfusionMatrix: Sendable, Equatable, CustomStringConvertible {
    /// The class names, indexed by class.
    public let classNames: [String]
    /// The counts, row-major: `counts[actual * classCount + predicted]`.
    public private(set) var counts: [Int]

    /// An empty matrix over `classNames`.
    public init(classNames: [String]) {
        self.classNames = classNames
        self.counts = [Int](repeating: 0, count: classNames.count * classNames.count)
    }

    /// An empty matrix over `classCount` classes named "0", "1", ….
    public init(classCount: Int) {
        self.init(classNames: (0..<max(classCount, 0)).map(String.init))
    }

    /// A matrix with the given rows of counts (actual × predicted), for tests and for
    /// rebuilding one from data.
    ///
    /// - Throws: `invalidArgument` unless `rows` is square with one row per class and no
    ///   negative count.
    public init(classNames: [String], rows: [[Int]]) throws {
        guard rows.count == classNames.count,
            rows.allSatisfy({ $0.count == classNames.count && $0.allSatisfy { $0 >= 0 } })
        else {
            throw NNError.invalidArgument(
                function: "ConfusionMatrix",
                message: "rows must be \(classNames.count) × \(classNames.count) counts >= 0")
        }
        self.classNames = classNames
        self.counts = rows.flatMap { $0 }
    }

    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// How many examples of class `actual` were predicted as `predicted` (0 outside the
    /// classes).
    public subscript(actual actual: Int, predicted predicted: Int) -> Int {
        guard (0..<classCount).contains(actual), (0..<classCount).contains(predicted) else {
            return 0
        }
        return counts[actual * classCount + predicted]
    }

    /// The counts as rows (one per actual class).
    public var rows: [[Int]] {
        (0..<classCount).map { row in Array(counts[(row * classCount)..<((row + 1) * classCount)]) }
    }

    /// The number of examples counted.
    public var total: Int { counts.reduce(0, +) }

    /// The share of examples on the diagonal (0 when empty).
    public var accuracy: Double {
        let all = total
        guard all > 0 else { return 0 }
        let correct = (0..<classCount).reduce(0) { $0 + counts[$1 * classCount + $1] }
        return Double(correct) / Double(all)
    }

    /// Counts one example; pairs outside the classes are ignored.
    mutating func add(actual: Int, predicted: Int) {
        guard (0..<classCount).contains(actual), (0..<classCount).contains(predicted) else {
            return
        }
        counts[actual * classCount + predicted] += 1
    }

    /// Adds another matrix over the same classes.
    mutating func merge(_ other: ConfusionMatrix) {
        guard other.counts.count == counts.count else { return }
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    // MARK: - Per-class and macro scores

    /// Examples of class `index` (the row sum).
    public func support(ofClass index: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + self[actual: index, predicted: $1] }
    }

    /// Examples predicted as class `index` (the column sum).
    public func predictedCount(ofClass index: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + self[actual: $1, predicted: index] }
    }

    /// True positives over predicted positives for class `index` (0 if never predicted).
    public func precision(ofClass index: Int) -> Double {
        let predicted = predictedCount(ofClass: index)
        return predicted == 0
            ? 0 : Double(self[actual: index, predicted: index]) / Double(predicted)
    }

    /// True positives over actual positives for class `index` (0 if it never occurs).
    public func recall(ofClass index: Int) -> Double {
        let support = support(ofClass: index)
        return support == 0 ? 0 : Double(self[actual: index, predicted: index]) / Double(support)
    }

    /// The harmonic mean of the class's precision and recall (0 when both are 0).
    public func f1(ofClass index: Int) -> Double {
        let (p, r) = (precision(ofClass: index), recall(ofClass: index))
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The classes that occur as targets or as predictions: those a macro average runs over.
    public var presentClasses: [Int] {
        (0..<classCount).filter { support(ofClass: $0) > 0 || predictedCount(ofClass: $0) > 0 }
    }

    /// Precision averaged over the present classes.
    public var macroPrecision: Double { macroAverage(precision(ofClass:)) }

    /// Recall averaged over the present classes.
    public var macroRecall: Double { macroAverage(recall(ofClass:)) }

    /// F1 averaged over the present classes (the mean of per-class F1, as scikit-learn).
    public var macroF1: Double { macroAverage(f1(ofClass:)) }

    private func macroAverage(_ score: (Int) -> Double) -> Double {
        let classes = presentClasses
        guard !classes.isEmpty else { return 0 }
        return classes.reduce(0) { $0 + score($1) } / Double(classes.count)
    }

    /// A plain-text table: actual classes down, predicted across.
    public var description: String {
        let labels = classNames.map { String($0.prefix(12)) }
        let width = max(
            labels.map(\.count).max() ?? 1, String(counts.max() ?? 0).count, "actual".count)
        func cell(_ text: String) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var lines = [([cell("actual")] + labels.map(cell)).joined(separator: " ")]
        for (index, row) in rows.enumerated() {
            lines.append(
                ([cell(labels[index])] + row.map { cell(String($0)) }).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
