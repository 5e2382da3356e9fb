/// The predictions view: images captioned with what the model said, misclassified ones in red
/// with the true label.
extension ImageGrid {
    /// A grid of images captioned with their predicted labels; where the prediction differs
    /// from the true label the caption reads "3 (true 5)" and the image is highlighted.
    ///
    /// ```swift
    /// let grid = ImageGrid.predictions(digits, predicted: ["7", "2", "3"], actual: ["7", "2", "5"])
    /// ```
    ///
    /// - Parameters:
    ///   - images: the images.
    ///   - predicted: one predicted label per image (missing labels leave the caption empty).
    ///   - actual: one true label per image.
    ///   - columns: images per row, or nil for a near-square grid.
    ///   - onlyMistakes: keep only the misclassified images.
    public static func predictions(
        _ images: [ImagePixels], predicted: [String], actual: [String], columns: Int? = nil,
        onlyMistakes: Bool = false
    ) -> ImageGrid {
        var items: [GridImage] = []
        for (index, pixels) in images.enumerated() {
            let guess = index < predicted.count ? predicted[index] : nil
            let truth = index < actual.count ? actual[index] : nil
            let wrong = guess != nil && truth != nil && guess != truth
            if onlyMistakes && !wrong { continue }
            let caption = wrong ? "\(guess ?? "") (true \(truth ?? ""))" : guess
            items.append(GridImage(pixels: pixels, caption: caption, isHighlighted: wrong))
        }
        return ImageGrid(images: items, columns: columns)
    }
}
