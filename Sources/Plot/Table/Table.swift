/// A table of results: named columns with alignment and number formats, rows of cells, an
/// optional title and caption, and an optional highlighted ("best") row.
///
/// Model summaries, training histories, metrics, data sets and search and compression reports
/// all render through it, as aligned text (`text(style:)`) and a plain HTML table (`html()`).
///
/// ```swift
/// var table = Table(title: "Trials", columns: ["trial", "learning rate", TableColumn("accuracy", format: .percent(1))])
/// table.append([1, 0.001, 0.871])
/// table.append([2, 0.01, 0.884])
/// table.highlightedRow = 1
/// print(table.text())
/// ```
public struct Table: Sendable, Hashable {
    /// Drawn above the table.
    public var title: String?
    /// The columns, left to right.
    public var columns: [TableColumn]
    /// The rows; short rows are padded with empty cells, extra cells are ignored.
    public var rows: [[TableCell]]
    /// A note drawn below the table.
    public var caption: String?
    /// The index of a row to emphasise (the best trial, the chosen model), or nil.
    public var highlightedRow: Int?

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - title: drawn above.
    ///   - columns: the columns (a string literal is a column with automatic alignment and format).
    ///   - rows: the cells, row by row.
    ///   - caption: drawn below.
    ///   - highlightedRow: a row to emphasise.
    public init(
        title: String? = nil, columns: [TableColumn], rows: [[TableCell]] = [],
        caption: String? = nil, highlightedRow: Int? = nil
    ) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.caption = caption
        self.highlightedRow = highlightedRow
    }

    /// Appends a row.
    public mutating func append(_ row: [TableCell]) {
        rows.append(row)
    }

    /// Every cell written out, row by row, one string per column, with each column's numbers
    /// formatted together (so that an automatic format is the same down a column).
    func formattedRows() -> [[String]] {
        let formats = columns.indices.map { column -> NumberFormat in
            let numbers = rows.compactMap { row -> Double? in
                guard column < row.count else { return nil }
                if case .number(let value) = row[column] { return value }
                return nil
            }
            return columns[column].format.resolved(for: numbers)
        }
        return rows.map { row in
            columns.indices.map { column in
                guard column < row.count else { return "" }
                switch row[column] {
                case .text(let text): return Self.singleLine(text)
                case .integer(let value):
                    let format = columns[column].format
                    return format == .automatic
                        ? NumberFormat.grouped.format(Double(value))
                        : format.format(Double(value))
                case .number(let value): return formats[column].format(value)
                case .empty: return ""
                }
            }
        }
    }

    /// How each column is aligned: as asked, else right when it holds numbers, left otherwise.
    func resolvedAlignments() -> [TableAlignment] {
        columns.indices.map { column in
            if let alignment = columns[column].alignment { return alignment }
            let cells = rows.compactMap { column < $0.count ? $0[column] : nil }
            let numeric =
                cells.contains { $0.isNumeric }
                && cells.allSatisfy { $0.isNumeric || $0 == .empty }
            return numeric ? .right : .left
        }
    }

    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}

/// A table column: a header, an alignment and a number format.
public struct TableColumn: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The header text.
    public var name: String
    /// Left, centre or right; nil aligns numbers right and text left.
    public var alignment: TableAlignment?
    /// How numbers in this column are written.
    public var format: NumberFormat

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - name: the header.
    ///   - alignment: nil for automatic.
    ///   - format: number format (default automatic, chosen per column).
    public init(_ name: String, alignment: TableAlignment? = nil, format: NumberFormat = .automatic)
    {
        self.name = name
        self.alignment = alignment
        self.format = format
    }

    /// A column with automatic alignment and format.
    public init(stringLiteral name: String) {
        self.init(name)
    }
}

/// Horizontal alignment in a column.
public enum TableAlignment: String, Sendable, Hashable {
    /// Flush left.
    case left
    /// Centred.
    case center
    /// Flush right (numbers).
    case right
}

/// One table cell.
public enum TableCell: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// Text, shown as is (line breaks become spaces).
    case text(String)
    /// An integer, written with thousands separators unless the column says otherwise.
    case integer(Int)
    /// A number, written in the column's format.
    case number(Double)
    /// Nothing.
    case empty

    /// A string literal is a text cell.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer literal is an integer cell.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// A float literal is a number cell.
    public init(floatLiteral value: Double) { self = .number(value) }

    var isNumeric: Bool {
        switch self {
        case .integer, .number: return true
        case .text, .empty: return false
        }
    }
}
