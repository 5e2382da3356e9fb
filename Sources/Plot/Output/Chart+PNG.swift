/// PNG rendering.
extension Chart {
    /// The chart as a PNG file's bytes, drawn at `scale` device pixels per CSS pixel (2 by
    /// default, for sharp display on high-density screens; show it at `width` × `height`).
    ///
    /// ```swift
    /// let bytes = try chart.png()   // 1280 × 800 pixels for a 640 × 400 chart
    /// ```
    ///
    /// - Throws: `PlotError.compressionFailed` if zlib fails.
    public func png(scale: Double = 2) throws -> [UInt8] {
        let scale = scale.isFinite ? min(max(scale, 0.5), 4) : 2
        let canvas = SceneRasterizer(scale: scale).render(ChartLayout.scene(for: self))
        return try PlotError.encodingPNG(
            width: canvas.width, height: canvas.height, channels: 3, canvas.samples,
            pixelsPerMeter: Self.pixelsPerMeter(scale: scale))
    }

    /// The physical density of a PNG drawn at `scale`: 72 dpi per unit of scale, so that image
    /// viewers show a 2x image at its intended size (5669 pixels per metre is 144 dpi).
    static func pixelsPerMeter(scale: Double) -> Int {
        Int((scale * 72 / 0.0254).rounded())
    }
}
