import Display

extension Table {
    /// The table for a Jupyter display: text/plain (box-drawn) and text/html.
    ///
    /// ```swift
    /// return .success(result: table.mimeBundle())
    /// ```
    public func mimeBundle() -> MimeBundle {
        var bundle = MimeBundle(plainText: text())
        bundle[.html] = html()
        return bundle
    }
}
