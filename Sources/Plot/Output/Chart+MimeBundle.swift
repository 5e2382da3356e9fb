import KernelInterface

extension Chart {
    /// The chart for a Jupyter display: image/svg+xml and text/plain.
    ///
    /// ```swift
    /// output.display(chart.mimeBundle(), id: nil)
    /// ```
    public func mimeBundle() -> MimeBundle {
        var bundle = MimeBundle(plainText: summary)
        bundle[.svg] = svg()
        return bundle
    }
}
