/// Text made safe inside HTML and XML (SVG) elements and attribute values: the one escaper of
/// Trainbook's text/html and image/svg+xml output.
///
/// The five markup characters become entities (`&amp; &lt; &gt; &quot; &#39;`, the last two
/// so that a value is safe in either kind of quoted attribute), and the characters XML 1.0
/// forbids (C0 controls other than tab, line feed and carriage return, U+FFFE, U+FFFF) are
/// dropped. Line breaks are kept, so `<pre>` text keeps its lines.
///
/// ```swift
/// MarkupText.escaped("a < b & 'c'")  // "a &lt; b &amp; &#39;c&#39;"
/// ```
public enum MarkupText {
    /// `text` with markup characters escaped and forbidden characters dropped.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
