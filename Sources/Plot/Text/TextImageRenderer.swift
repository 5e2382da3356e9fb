/// Draws an image grid in a terminal: each image as shaded blocks (one character per 2 × 4
/// pixels of a 28-pixel image), captions below, misclassified ones marked with ✗.
struct TextImageRenderer {
    static let ramp: [Character] = [" ", "░", "▒", "▓", "█"]

    let grid: ImageGrid
    let width: Int
    let colors: Bool

    func render() -> [String] {
        guard let first = grid.images.first else { return [] }
        let imageWidth = min(max(first.pixels.width / 2, 6), 20)
        let aspect = Double(first.pixels.height) / Double(first.pixels.width)
        let cellHeight = min(max(Int((Double(imageWidth) * aspect / 2).rounded()), 3), 20)
        // Captions may be wider than the images, up to 16 columns.
        let captionWidth =
            grid.images.map { image in
                TerminalWidth.columns(of: (image.isHighlighted ? "✗ " : "") + (image.caption ?? ""))
            }.max() ?? 0
        let cellWidth = max(imageWidth, min(captionWidth, 16))
        let perRow = max(min((width + 2) / (cellWidth + 2), grid.resolvedColumns), 1)
        var lines: [String] = []
        for start in Swift.stride(from: 0, to: grid.images.count, by: perRow) {
            let images = Array(grid.images[start..<min(start + perRow, grid.images.count)])
            let drawn = images.map { image in
                shaded(image.pixels, columns: imageWidth, rows: cellHeight).map {
                    TerminalWidth.padded($0, to: cellWidth, alignment: .center)
                }
            }
            for row in 0..<cellHeight {
                lines.append(drawn.map { $0[row] }.joined(separator: "  "))
            }
            if images.contains(where: { !($0.caption ?? "").isEmpty || $0.isHighlighted }) {
                let captions = images.map { image -> String in
                    var text = Table.singleLine(image.caption ?? "")
                    if image.isHighlighted { text = "✗ " + text }
                    let fitted = TerminalWidth.padded(
                        TerminalWidth.truncated(text, to: cellWidth), to: cellWidth,
                        alignment: .center)
                    return image.isHighlighted
                        ? TerminalStyle.paint(fitted, Palette.error, enabled: colors) : fitted
                }
                lines.append(captions.joined(separator: "  "))
            }
            if start + perRow < grid.images.count { lines.append("") }
        }
        return lines
    }

    /// The image averaged into `columns` × `rows` cells of the ramp, brightest as █.
    private func shaded(_ pixels: ImagePixels, columns: Int, rows: Int) -> [String] {
        (0..<rows).map { row in
            let y0 = row * pixels.height / rows
            let y1 = max((row + 1) * pixels.height / rows, y0 + 1)
            return String(
                (0..<columns).map { column -> Character in
                    let x0 = column * pixels.width / columns
                    let x1 = max((column + 1) * pixels.width / columns, x0 + 1)
                    var total = 0.0
                    var count = 0.0
                    for y in y0..<min(y1, pixels.height) {
                        for x in x0..<min(x1, pixels.width) {
                            let color = pixels.color(x: x, y: y, colormap: grid.colormap)
                            total +=
                                (0.2126 * Double(color.red) + 0.7152 * Double(color.green)
                                    + 0.0722 * Double(color.blue)) / 255 * color.opacity
                            count += 1
                        }
                    }
                    let level = count > 0 ? total / count : 0
                    return Self.ramp[min(Int(level * Double(Self.ramp.count)), Self.ramp.count - 1)]
                })
        }
    }
}
