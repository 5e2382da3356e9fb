/// What a CSV target column is to be learned as.
public enum CSVTask: Sendable, Equatable {
    /// Text targets, and integer targets with at most 20 distinct values, are classes; other
    /// numbers are regressed.
    case automatic
    /// Every distinct value of the target is a class (names sorted).
    case classification
    /// The target is a number to regress.
    case regression
}

/// Cells that count as missing values (after trimming spaces).
let csvMissingMarkers: Set<String> = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"]

extension Dataset {
    /// A data set from a CSV file: one target column and numeric or categorical features.
    ///
    /// Column types are inferred: integers and decimals become Float32 features; any other
    /// text is categorical and becomes one-hot features named `column=value`. Text targets are
    /// classes (their names sorted), and so are integer targets with at most 20 distinct values
    /// unless `task` says otherwise. A column of numbers holding `inf`, `NaN` or a number
    /// beyond Float32's range (`1e400`) is an error naming the cell, not a categorical column.
    ///
    /// ```swift
    /// let iris = try Dataset(csv: "iris.csv", target: "species")
    /// iris.classNames      // ["setosa", "versicolor", "virginica"]
    /// iris.elementShape    // [4]
    /// ```
    /// - Parameters:
    ///   - target: the column to predict.
    ///   - features: the columns to learn from (nil: every other column).
    ///   - dropMissing: whether to leave out rows with a missing value (empty, NA, NaN, null,
    ///     ?) in a used column; otherwise such a row is an error naming its line and column.
    public convenience init(
        csv path: String, target: String, features: [String]? = nil,
        delimiter: Character = ",", task: CSVTask = .automatic, dropMissing: Bool = false
    ) throws(DataError) {
        try self.init(
            csv: CSVTable.read(path, delimiter: delimiter), target: target, features: features,
            task: task, dropMissing: dropMissing)
    }

    /// A data set from a parsed CSV table; see `init(csv:target:features:…)` for the rules.
    public convenience init(
        csv table: CSVTable, target: String, features: [String]? = nil,
        task: CSVTask = .automatic, dropMissing: Bool = false
    ) throws(DataError) {
        let targetIndex = try table.columnIndex(target)
        var featureIndices: [Int] = []
        for name in features ?? table.columns.filter({ $0 != target }) {
            let index = try table.columnIndex(name)
            guard index != targetIndex else {
                throw .invalidArgument(
                    operation: "Dataset(csv:)",
                    message: "the target \"\(target)\" cannot also be a feature")
            }
            featureIndices.append(index)
        }
        let used = [targetIndex] + featureIndices
        let keptRows = try Self.rowsWithoutMissing(table, columns: used, drop: dropMissing)
        guard !keptRows.isEmpty else {
            throw .invalidCSV(path: table.path, line: 0, problem: "no rows left to learn from")
        }
        let columns = used.map { index in
            CSVColumn(
                name: table.columns[index],
                cells: keptRows.map { table.rows[$0][index].trimmingSpaces },
                lines: keptRows.map { table.lines[$0] })
        }
        let encoded = try CSVFeatureEncoder(columns: Array(columns.dropFirst()), path: table.path)
        let name = "\(lastPathComponent(table.path)) → \(target)"
        let store = FeatureStore(
            values: .floats(encoded.values), elementShape: [encoded.names.count],
            elementSize: encoded.names.count, rowCount: keptRows.count, names: encoded.names)
        let targetColumn = columns[0]
        if try targetColumn.isClassification(task, path: table.path) {
            let classes = targetColumn.categories
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            try self.init(
                features: store, labels: targetColumn.cells.map { Int32(index[$0] ?? 0) },
                classNames: classes, name: name)
        } else {
            self.init(
                features: store,
                targets: TargetStore(
                    values: .values(try targetColumn.numbers(path: table.path), width: 1),
                    classNames: []),
                rows: Array(0..<keptRows.count), name: name, normalization: nil)
        }
    }

    /// The rows (positions in `table.rows`) whose used cells are all present; without `drop`,
    /// the first missing cell is an error.
    private static func rowsWithoutMissing(_ table: CSVTable, columns: [Int], drop: Bool)
        throws(DataError) -> [Int]
    {
        var kept: [Int] = []
        for (row, cells) in table.rows.enumerated() {
            if let column = columns.first(where: {
                csvMissingMarkers.contains(cells[$0].trimmingSpaces)
            }) {
                guard drop else {
                    throw .invalidCSV(
                        path: table.path, line: table.lines[row],
                        problem: "missing value in column \"\(table.columns[column])\" (pass "
                            + "dropMissing: true to leave such rows out)")
                }
                continue
            }
            kept.append(row)
        }
        return kept
    }
}

/// The last component of a path ("data/iris.csv" → "iris.csv").
func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
