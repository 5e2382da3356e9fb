import Cell
import NN

/// How a running `fit` shows its progress in a cell: the one seam between training and the
/// display. `TrainingDisplays.make` chooses the display for each fit.
protocol TrainingDisplay: TrainingObserver {}

/// The choice of display for a fit.
enum TrainingDisplays {
    /// The display for one `fit` in `session` with its `verbose:` argument (a Bool, Keras's
    /// 0/1/2, or `Verbosity.bar`, `.epochs`, `.silent`), or nil when nothing is to be shown.
    static func make(for session: Session, verbose: Value) throws -> (any TrainingDisplay)? {
        let verbosity = try ProgressSettings.verbosity(from: verbose)
        let display = ProgressTrainingDisplay(session: session, verbosity: verbosity)
        return display.isSilent ? nil : display
    }
}
