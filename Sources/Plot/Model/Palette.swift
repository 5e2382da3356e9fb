/// The colours series get when they do not choose one: the Okabe–Ito palette.
///
/// Okabe and Ito, "Color Universal Design (CUD): How to make figures and presentations that are
/// friendly to colorblind people" (2008). The eight colours stay distinct under protanopia,
/// deuteranopia and tritanopia. Blue and orange come first because a chart of training and
/// validation curves is the most common two-series chart here; yellow, hard to see on white, comes
/// late.
public enum Palette {
    /// The series colours, in the order series receive them.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2),  // blue
        Color(hex: 0xE69F00),  // orange
        Color(hex: 0x009E73),  // bluish green
        Color(hex: 0xD55E00),  // vermillion
        Color(hex: 0xCC79A7),  // reddish purple
        Color(hex: 0x56B4E9),  // sky blue
        Color(hex: 0xF0E442),  // yellow
        Color(hex: 0x000000),  // black
    ]

    /// The colour of the series at `index`, cycling through the palette.
    ///
    /// ```swift
    /// Palette.color(at: 0)  // Okabe–Ito blue
    /// ```
    public static func color(at index: Int) -> Color {
        let count = okabeIto.count
        return okabeIto[((index % count) + count) % count]
    }

    /// The red used for highlighted errors (misclassified captions): Okabe–Ito vermillion.
    public static let error = Color(hex: 0xD55E00)
}
