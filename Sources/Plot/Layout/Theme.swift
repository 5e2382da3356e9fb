/// The look shared by every chart: colours, type sizes and spacing, in CSS pixels.
///
/// Light grid, grey axes, dark text on white, in the manner of matplotlib's and Observable
/// Plot's defaults. One place, so that the SVG, the PNG and every chart kind agree.
enum Theme {
    static let background = Color.white
    static let titleColor = Color(hex: 0x1A1A1A)
    static let labelColor = Color(hex: 0x333333)
    static let tickLabelColor = Color(hex: 0x4D4D4D)
    static let axisColor = Color(hex: 0x8C8C8C)
    static let gridColor = Color(hex: 0xE6E6E6)
    static let minorGridColor = Color(hex: 0xF2F2F2)
    static let legendBorder = Color(hex: 0xD9D9D9)

    static let titleSize = 15.0
    static let labelSize = 12.0
    static let tickLabelSize = 11.0
    static let legendSize = 11.5
    static let captionSize = 11.0

    static let tickLength = 4.0
    static let minorTickLength = 2.0
    static let tickLabelGap = 4.0
    static let padding = 12.0
    static let axisLineWidth = 1.0
    static let gridLineWidth = 1.0

    /// The font stack written into SVGs. Helvetica and Arial first: their advance widths are the
    /// ones `FontMetrics` measures with (Linux maps both to metric-compatible Liberation Sans or
    /// Nimbus Sans), so labels measured here fit in a browser too.
    static let fontFamily = "Helvetica, Arial, system-ui, -apple-system, sans-serif"
}
