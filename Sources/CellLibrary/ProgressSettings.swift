import Cell
import Foundation
import Plot

/// How a session shows the progress of long library calls: the style chosen with the
/// `%progress rich|text|none` magic, else the kernelspec's `TRAINBOOK_PROGRESS` environment
/// variable, else a rich display; and the display ids progress displays are shown under.
///
/// ```swift
/// session.progress.style(in: session)   // .rich in a notebook, .text under trainbook-text
/// ```
final class ProgressSettings {
    /// The environment variable a kernelspec sets to choose the default style.
    static let environmentVariable = "TRAINBOOK_PROGRESS"

    /// The style chosen with `%progress`, overriding the environment; nil to follow it.
    var chosen: ProgressStyle?
    private var displayCount = 0
    /// Makes display ids unique across kernels: a notebook keeps its outputs over a restart,
    /// and an update must never reach the display of an earlier kernel.
    private let token: String = {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }()

    /// The style in effect.
    func style(in session: Session) -> ProgressStyle {
        if let chosen { return chosen }
        return Self.style(named: session.environment(Self.environmentVariable)) ?? .rich
    }

    /// A display id no other display of this kernel has.
    func nextDisplayID() -> String {
        displayCount += 1
        return "trainbook-progress-\(token)-\(displayCount)"
    }

    /// The style a word names ("rich", "text", "none", in any case), or nil.
    static func style(named name: String?) -> ProgressStyle? {
        guard let name else { return nil }
        let word = name.trimmingCharacters(in: .whitespaces).lowercased()
        return ProgressStyle(rawValue: word == "off" ? "none" : word)
    }
}

extension Session {
    /// How long library calls show their progress in this session (the `%progress` magic).
    var progress: ProgressSettings { libraryState { ProgressSettings() } }
}

// MARK: - The verbose: argument

extension ProgressSettings {
    /// The type whose static members name verbosities: `Verbosity.bar`, `Verbosity.epochs`,
    /// `Verbosity.silent` (or `.none`).
    static let verbosityTypeName = "Verbosity"

    /// A `verbose:` argument as a verbosity: `true`/`false`, Keras's 0 (silent), 1 (bar) and 2
    /// (a line per epoch), the words "none", "silent", "bar", "epochs", or the same as
    /// `Verbosity.epochs` and its siblings.
    ///
    /// - Throws: `CellError.invalidValue` for anything else.
    static func verbosity(from value: Value) throws -> ProgressVerbosity {
        switch value {
        case .bool(let on): return on ? .bar : .silent
        case .int(0): return .silent
        case .int(1): return .bar
        case .int(2): return .epochs
        case .string(let word):
            switch word.lowercased() {
            case "none", "silent", "off": return .silent
            case "bar", "progress": return .bar
            case "epochs", "epoch", "lines": return .epochs
            default: break
            }
        default:
            break
        }
        throw CellError.invalidValue(
            "verbose must be true or false, 0 (silent), 1 (a progress bar) or 2 (a line per "
                + "epoch), or Verbosity.silent, .bar or .epochs, not \(value.debugText)")
    }
}
