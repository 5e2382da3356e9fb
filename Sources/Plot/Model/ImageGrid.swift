/// Images in rows and columns, each with an optional caption: samples of a data set,
/// predictions with their true labels, misclassified examples (highlighted in red).
///
/// ```swift
/// let grid = ImageGrid(images: [GridImage(pixels: digit, caption: "7")])
/// let chart = Chart.images(grid, title: "Samples")
/// ```
public struct ImageGrid: Sendable, Hashable {
    /// The images, in reading order.
    public var images: [GridImage]
    /// Images per row; nil to choose a near-square grid of at most 8 columns.
    public var columns: Int?
    /// The colours grey (one-channel) images are drawn with.
    public var colormap: Colormap

    /// Creates an image grid.
    public init(images: [GridImage], columns: Int? = nil, colormap: Colormap = .grays) {
        self.images = images
        self.columns = columns
        self.colormap = colormap
    }

    /// The number of columns used: the requested count (at least 1), or a near-square grid.
    var resolvedColumns: Int {
        if let columns { return min(max(columns, 1), max(images.count, 1)) }
        var side = 1
        while side * side < images.count && side < 8 { side += 1 }
        return side
    }

    /// The number of rows used.
    var resolvedRows: Int {
        let columns = resolvedColumns
        return (images.count + columns - 1) / columns
    }
}

/// One image of an `ImageGrid`.
public struct GridImage: Sendable, Hashable {
    /// The pixels.
    public var pixels: ImagePixels
    /// Text under the image, e.g. "7" or "pred 3 (true 5)".
    public var caption: String?
    /// Whether to draw the image with a red frame and a red caption (a misclassified example).
    public var isHighlighted: Bool

    /// Creates a grid image.
    public init(pixels: ImagePixels, caption: String? = nil, isHighlighted: Bool = false) {
        self.pixels = pixels
        self.caption = caption
        self.isHighlighted = isHighlighted
    }
}
