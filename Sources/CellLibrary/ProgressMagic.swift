/// `%progress rich|text|none`: how this session shows the progress of `fit` and other long
/// calls, for the rest of the session; `%progress` alone says which style is in effect.
import Cell

enum ProgressMagic {
    /// Registers `%progress`.
    static func install(into registry: Registry) {
        registry.magic("progress") { session, argument, site throws(Failure) in
            try progress(argument, in: session, at: site)
        }
    }

    static func progress(_ argument: String, in session: Session, at site: SourceLocation)
        throws(Failure) -> Value
    {
        let settings = session.progress
        guard !argument.isEmpty else {
            let style = settings.style(in: session)
            let origin =
                settings.chosen != nil
                ? "chosen with %progress"
                : session.environment(ProgressSettings.environmentVariable) != nil
                    ? "from \(ProgressSettings.environmentVariable)" : "the default"
            session.write("progress: \(style.rawValue) (\(origin))\n")
            return .void
        }
        guard let style = ProgressSettings.style(named: argument) else {
            throw Failure(
                .invalidValue(
                    "%progress takes rich (a display updated in place), text (a bar on stdout) "
                        + "or none, not \"\(argument)\""),
                at: site)
        }
        settings.chosen = style
        return .void
    }
}
