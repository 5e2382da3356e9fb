import Display
import Foundation

extension Chart {
    /// The chart for a Jupyter display: image/svg+xml, image/png (base64, drawn at 2x, with
    /// its 1x `width` and `height` in the metadata so it shows sharp at the intended size) and
    /// text/plain (the braille and block rendering, for terminals).
    ///
    /// ```swift
    /// output.display(chart.mimeBundle(), id: nil)
    /// ```
    ///
    /// - Parameter textWidth: the width of the text/plain rendering in columns (default 80).
    public func mimeBundle(textWidth: Int = 80) -> MimeBundle {
        let scene = ChartLayout.scene(for: self)
        var bundle = MimeBundle(plainText: text(width: textWidth))
        bundle[.svg] = SVGRenderer().render(scene)
        let canvas = SceneRasterizer(scale: 2).render(scene)
        if let png = try? PlotError.encodingPNG(
            width: canvas.width, height: canvas.height, channels: 3, canvas.samples,
            pixelsPerMeter: Chart.pixelsPerMeter(scale: 2))
        {
            bundle[.png] = Data(png).base64EncodedString()
            bundle.metadata[MimeType.png.rawValue] = [
                "width": .int(Int(scene.width)), "height": .int(Int(scene.height)),
            ]
        }
        return bundle
    }
}
