/// Two-column tables of named values: metrics (`["loss": 0.33, "accuracy": 0.88]`), settings.
extension Table {
    /// A table of names and values, in the given order, numbers right-aligned together.
    ///
    /// ```swift
    /// Table.keyValue([("loss", 0.3312), ("accuracy", 0.8807)], title: "Evaluation")
    /// ```
    ///
    /// - Parameters:
    ///   - pairs: names and values.
    ///   - title: drawn above.
    ///   - keyHeader: the first column's header (default "metric").
    ///   - valueHeader: the second column's header (default "value").
    ///   - format: how values are written (default automatic, shared by the column).
    public static func keyValue(
        _ pairs: [(String, Double)], title: String? = nil, keyHeader: String = "metric",
        valueHeader: String = "value", format: NumberFormat = .automatic
    ) -> Table {
        Table(
            title: title,
            columns: [TableColumn(keyHeader), TableColumn(valueHeader, format: format)],
            rows: pairs.map { [.text($0.0), .number($0.1)] })
    }
}
