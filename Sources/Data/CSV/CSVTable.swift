/// A CSV file as a table of text cells (RFC 4180): a header row naming the columns, fields
/// separated by a delimiter, quoted fields that may hold the delimiter, doubled quotes and line
/// breaks, LF or CRLF line ends, an optional UTF-8 byte order mark.
///
/// ```swift
/// let table = try CSVTable.read("iris.csv")
/// table.columns          // ["sepal_length", …, "species"]
/// table.rows.count       // 150
/// ```
public struct CSVTable: Sendable {
    /// The file the table was read from (or a name given to text).
    public let path: String
    /// The column names, from the header row (or "column1", "column2", … without one).
    public let columns: [String]
    /// The cells, row by row, each row as long as `columns`.
    public let rows: [[String]]
    /// The line each row starts on (1-based), for error messages.
    let lines: [Int]
    /// The position of each column name, so that looking up many columns stays linear.
    private let positions: [String: Int]

    /// Reads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - delimiter: the field separator (`,` by default; `;` and tab are common too).
    ///   - hasHeader: whether the first row names the columns.
    /// - Throws: `unreadableFile` (also for a named pipe or any other file that is not a regular
    ///   file), or `invalidCSV` naming the line of an unclosed quote, a row with the wrong number
    ///   of fields, or a column name that the header repeats.
    public static func read(_ path: String, delimiter: Character = ",", hasHeader: Bool = true)
        throws(DataError) -> CSVTable
    {
        let bytes = try FileBytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidCSV(path: path, line: 0, problem: "the file is not UTF-8 text")
        }
        return try CSVTable(parsing: text, path: path, delimiter: delimiter, hasHeader: hasHeader)
    }

    /// Parses CSV text (`path` names it in errors).
    public init(
        parsing text: String, path: String = "<text>", delimiter: Character = ",",
        hasHeader: Bool = true
    ) throws(DataError) {
        guard let separator = delimiter.asciiValue, separator != UInt8(ascii: "\""),
            separator != UInt8(ascii: "\n"), separator != UInt8(ascii: "\r")
        else {
            throw .invalidArgument(
                operation: "CSV",
                message: "the delimiter must be one ASCII character other "
                    + "than a quote or a line break, got \"\(delimiter)\"")
        }
        var records = try CSVRecords.split(Array(text.utf8), separator: separator, path: path)
        if records.first?.fields.first?.hasPrefix("\u{FEFF}") == true {
            records[0].fields[0].removeFirst()
        }
        guard let first = records.first else {
            throw .invalidCSV(path: path, line: 0, problem: "the file is empty")
        }
        let columns =
            hasHeader
            ? first.fields.map { $0.trimmingSpaces }
            : (1...first.fields.count).map { "column\($0)" }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(columns.count)
        for (position, name) in columns.enumerated() {
            if let earlier = positions.updateValue(position, forKey: name) {
                throw .invalidCSV(
                    path: path, line: first.line,
                    problem: "the header names column \"\(name)\" twice (columns \(earlier + 1) "
                        + "and \(position + 1)); every column needs its own name")
            }
        }
        let body = hasHeader ? Array(records.dropFirst()) : records
        for record in body where record.fields.count != columns.count {
            throw .invalidCSV(
                path: path, line: record.line,
                problem: "\(record.fields.count) fields where the header has \(columns.count)")
        }
        self.path = path
        self.columns = columns
        self.rows = body.map(\.fields)
        self.lines = body.map(\.line)
        self.positions = positions
    }

    /// The position of the column named `name`.
    ///
    /// - Throws: `invalidCSV` listing the columns when there is none of that name.
    public func columnIndex(_ name: String) throws(DataError) -> Int {
        guard let index = positions[name] else {
            throw .invalidCSV(
                path: path, line: 0,
                problem: "no column \"\(name)\"; the columns are "
                    + columns.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return index
    }
}

/// The records of CSV bytes, split by a small state machine over the bytes.
enum CSVRecords {
    struct Record {
        var fields: [String]
        let line: Int
    }

    static func split(_ bytes: [UInt8], separator: UInt8, path: String) throws(DataError)
        -> [Record]
    {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                quoted = true
                quoteLine = line
            case separator:
                endField()
            case UInt8(ascii: "\r") where index < bytes.count && bytes[index] == UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        guard !quoted else {
            throw .invalidCSV(
                path: path, line: quoteLine, problem: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }),
            let end = lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(self[start...end])
    }
}
