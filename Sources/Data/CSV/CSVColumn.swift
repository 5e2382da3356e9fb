/// One column of a CSV table with its type inferred from its cells.
struct CSVColumn {
    let name: String
    /// The trimmed cells, none missing.
    let cells: [String]

    /// Whether every cell is an integer.
    var isInteger: Bool { cells.allSatisfy { Int($0) != nil } }

    /// Whether every cell is a finite number.
    var isNumeric: Bool { cells.allSatisfy { Double($0)?.isFinite == true } }

    /// The distinct values, sorted (numerically for integers).
    var categories: [String] {
        let distinct = Set(cells)
        if isInteger { return distinct.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) } }
        return distinct.sorted()
    }

    /// Whether, as a target, this column is a classification target under `task`.
    func isClassification(_ task: CSVTask, path: String) throws(DataError) -> Bool {
        switch task {
        case .classification:
            return true
        case .regression:
            guard isNumeric else {
                throw .invalidCSV(
                    path: path, line: 0,
                    problem: "column \"\(name)\" holds text, so it cannot be a regression target")
            }
            return false
        case .automatic:
            return !isNumeric || (isInteger && Set(cells).count <= 20)
        }
    }

    /// The cells as numbers.
    func numbers(path: String) throws(DataError) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(cells.count)
        for cell in cells {
            guard let value = Double(cell), value.isFinite else {
                throw .invalidCSV(
                    path: path, line: 0,
                    problem: "column \"\(name)\" holds \"\(cell)\", which is not a number")
            }
            values.append(Float(value))
        }
        return values
    }
}

/// Feature columns turned into one row of Float32 features per example: numeric columns as
/// they are, text columns one-hot (a feature `column=value` per distinct value).
struct CSVFeatureEncoder {
    /// The feature names, in order.
    let names: [String]
    /// The features, row after row.
    let values: [Float]

    init(columns: [CSVColumn], path: String) throws(DataError) {
        let rowCount = columns.first?.cells.count ?? 0
        var names: [String] = []
        var encodedColumns: [[Float]] = []
        for column in columns {
            if column.isNumeric {
                names.append(column.name)
                encodedColumns.append(try column.numbers(path: path))
            } else {
                for category in column.categories {
                    names.append("\(column.name)=\(category)")
                    encodedColumns.append(column.cells.map { $0 == category ? 1 : 0 })
                }
            }
        }
        guard !names.isEmpty else {
            throw .invalidCSV(path: path, line: 0, problem: "no feature columns to learn from")
        }
        var values = [Float](repeating: 0, count: rowCount * names.count)
        for (feature, column) in encodedColumns.enumerated() {
            for row in 0..<rowCount { values[row * names.count + feature] = column[row] }
        }
        self.names = names
        self.values = values
    }
}
