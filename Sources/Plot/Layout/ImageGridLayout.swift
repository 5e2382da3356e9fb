/// Lays out an image grid: equal cells in reading order, each image scaled to fit its cell
/// without smoothing, a caption below, highlighted images framed and captioned in red.
struct ImageGridLayout {
    static let gap = 6.0
    static let captionHeight = 16.0

    let grid: ImageGrid
    let frame: Rect

    func draw(into scene: inout Scene) {
        guard !grid.images.isEmpty else { return }
        let columns = grid.resolvedColumns
        let rows = grid.resolvedRows
        let hasCaptions = grid.images.contains { !($0.caption ?? "").isEmpty }
        let area = frame.insetBy(dx: Theme.padding, dy: 4)
        let cellWidth = area.width / Double(columns)
        let cellHeight = area.height / Double(max(rows, 1))
        let captionSpace = hasCaptions ? Self.captionHeight : 0
        let box = (
            width: max(cellWidth - Self.gap, 1),
            height: max(cellHeight - Self.gap - captionSpace, 1)
        )
        for (index, image) in grid.images.enumerated() {
            let cell = Rect(
                x: area.minX + Double(index % columns) * cellWidth,
                y: area.minY + Double(index / columns) * cellHeight, width: cellWidth,
                height: cellHeight)
            let pixels = image.pixels
            let scale = min(box.width / Double(pixels.width), box.height / Double(pixels.height))
            let drawn = Rect(
                x: (cell.midX - Double(pixels.width) * scale / 2).rounded(),
                y: (cell.minY + Self.gap / 2).rounded(),
                width: (Double(pixels.width) * scale).rounded(),
                height: (Double(pixels.height) * scale).rounded())
            scene.add(.image(pixels, frame: drawn, colormap: grid.colormap))
            let border =
                image.isHighlighted
                ? Stroke(color: Palette.error, width: 2)
                : Stroke(color: Theme.gridColor, width: 1)
            let inset = image.isHighlighted ? -1.0 : -0.5
            scene.add(.rect(drawn.insetBy(dx: inset, dy: inset), fill: nil, stroke: border))
            if let caption = image.caption, !caption.isEmpty {
                let text = TextFitting.truncated(
                    caption, width: cellWidth - 2, size: Theme.captionSize)
                scene.add(
                    .text(
                        TextRun(
                            text: text,
                            position: Point(
                                x: cell.midX, y: drawn.maxY + 4 + Theme.captionSize * 0.85),
                            size: Theme.captionSize,
                            weight: image.isHighlighted ? .bold : .regular,
                            color: image.isHighlighted ? Palette.error : Theme.labelColor,
                            anchor: .middle)))
            }
        }
    }
}
