/// ANSI colours for terminal renderings (xterm 256-colour palette), used only when asked for.
enum TerminalStyle {
    static let reset = "\u{1B}[0m"

    /// The escape sequence that sets the foreground to the nearest xterm colour of `color`.
    static func foreground(_ color: Color) -> String {
        "\u{1B}[38;5;\(xtermIndex(color))m"
    }

    /// `text` in `color` when `enabled`, else unchanged.
    static func paint(_ text: String, _ color: Color?, enabled: Bool) -> String {
        guard enabled, let color, !text.isEmpty else { return text }
        return foreground(color) + text + reset
    }

    /// The nearest entry of the 6 × 6 × 6 colour cube (indices 16…231).
    static func xtermIndex(_ color: Color) -> Int {
        func level(_ component: UInt8) -> Int { Int((Double(component) / 255 * 5).rounded()) }
        return 16 + 36 * level(color.red) + 6 * level(color.green) + level(color.blue)
    }
}
