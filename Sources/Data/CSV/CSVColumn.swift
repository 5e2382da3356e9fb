/// One column of a CSV table with its type inferred from its cells.
struct CSVColumn {
    let name: String
    /// The trimmed cells, none missing.
    let cells: [String]
    /// The line of each cell in the file (1-based), for error messages.
    let lines: [Int]

    /// Whether every cell is an integer.
    var isInteger: Bool { cells.allSatisfy { Int($0) != nil } }

    /// Whether every cell spells a number. `inf`, `1e400` and `NaN` spell numbers too: a
    /// column of numbers holding one stays numeric, and `numbers(path:)` reports the cell,
    /// instead of the column silently turning into one-hot categories.
    var isNumeric: Bool { cells.allSatisfy { Double($0) != nil } }

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
    ///
    /// - Throws: `invalidCSV` naming the line and the cell when a cell is not a number, or is
    ///   infinite, NaN or beyond Float32's range (±3.4e38).
    func numbers(path: String) throws(DataError) -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(cells.count)
        for (position, cell) in cells.enumerated() {
            guard let value = Double(cell) else {
                throw .invalidCSV(
                    path: path, line: lines[position],
                    problem: "column \"\(name)\" holds \"\(cell)\", which is not a number")
            }
            let single = Float(value)
            guard single.isFinite else {
                let what =
                    value.isNaN
                    ? "which is not a number (NaN)"
                    : value.isInfinite
                        ? "which is infinite" : "which is beyond Float32's range (±3.4e38)"
                throw .invalidCSV(
                    path: path, line: lines[position],
                    problem: "column \"\(name)\" holds \"\(cell)\", \(what); numeric "
                        + "columns must hold finite numbers (fix or remove the row)")
            }
            values.append(single)
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
