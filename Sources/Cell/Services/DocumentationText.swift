import Foundation
import KernelInterface

/// Documentation as the inspector writes it — signatures first, then paragraphs in light
/// Markdown (`code` spans, ```swift fences, lists of members indented by two spaces) — made
/// into what front ends show: `text/markdown` for JupyterLab's tooltip and pager, and
/// `text/plain` without Markdown marks for terminals.
///
/// ```swift
/// DocumentationText("print(_ items: Any...)\n\nWrites `items` to standard output.").mimeBundle
/// // text/plain:    "print(_ items: Any...)\n\nWrites items to standard output."
/// // text/markdown: "```swift\nprint(_ items: Any...)\n```\n\nWrites `items` to standard output."
/// ```
struct DocumentationText {
    /// The text as written, paragraphs separated by blank lines.
    let text: String

    init(_ text: String) {
        self.text = text
    }

    /// The plain text: fences dropped (their code indented by four spaces), backticks removed.
    var plainText: String {
        var lines: [String] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingLeadingSpaces.hasPrefix("```") {
                inFence.toggle()
                continue
            }
            lines.append(inFence ? "    " + line : line.replacingOccurrences(of: "`", with: ""))
        }
        return lines.joined(separator: "\n")
    }

    /// The Markdown: the first paragraph (the signatures) and indented lists as Swift code
    /// blocks, the rest as written.
    var markdown: String {
        var paragraphs: [String] = []
        for (index, paragraph) in text.components(separatedBy: "\n\n").enumerated() {
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false)
            if index == 0, !paragraph.contains("```") {
                paragraphs.append(Self.fenced(lines.map(String.init)))
            } else if lines.count > 1, lines.dropFirst().allSatisfy({ $0.hasPrefix("  ") }) {
                let items = lines.dropFirst().map { String($0.dropFirst(2)) }
                paragraphs.append(String(lines[0]) + "\n\n" + Self.fenced(items))
            } else {
                paragraphs.append(paragraph)
            }
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// A bundle with both.
    var mimeBundle: MimeBundle {
        var bundle = MimeBundle(plainText: plainText)
        bundle[.markdown] = markdown
        return bundle
    }

    private static func fenced(_ lines: [String]) -> String {
        let body = lines.joined(separator: "\n").replacingOccurrences(of: "```", with: "'''")
        return "```swift\n" + body + "\n```"
    }
}

extension Substring {
    fileprivate var trimmingLeadingSpaces: Substring { drop { $0 == " " } }
}
