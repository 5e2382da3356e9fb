import NN

/// How a running `fit` shows its progress in a cell: the one seam between training and the
/// display. `TrainingDisplays.make` chooses the display for each fit; the rich notebook display
/// (an HTML bar with an ETA and a live curve, updated in place) replaces it there.
protocol TrainingDisplay: TrainingObserver {}

/// The choice of display for a fit.
enum TrainingDisplays {
    /// The display for one `fit` in `session`, or nil when `verbose` is off.
    static func make(for session: Session, verbose: Bool) -> (any TrainingDisplay)? {
        verbose ? TextTrainingDisplay(session: session) : nil
    }
}

/// Progress as plain text on stdout, one line per epoch, as Keras prints with `verbose=2`:
///
/// ```text
/// Epoch 1/10 - 3.1s - loss: 0.5012 - accuracy: 0.8234 - val_loss: 0.4420 - val_accuracy: 0.8431
/// ```
final class TextTrainingDisplay: TrainingDisplay {
    private weak var session: Session?
    private var epochs = 0

    init(session: Session) {
        self.session = session
    }

    func observe(_ event: TrainingEvent) {
        switch event {
        case .began(let plan):
            epochs = plan.epochs
        case .epochEnded(let record):
            var parts = ["Epoch \(record.epoch + 1)/\(epochs)", Self.seconds(record.seconds)]
            for name in record.metricNames {
                if let value = record.metrics[name] {
                    parts.append("\(name): \(Self.metric(value))")
                }
            }
            write(parts.joined(separator: " - ") + "\n")
        case .ended(let outcome):
            switch outcome {
            case .completed, .running: break
            default: write("Training \(outcome).\n")
            }
        case .epochBegan, .batchEnded:
            break
        }
    }

    private func write(_ text: String) {
        session?.write(text)
        session?.output.flush()
    }

    /// "3.1s".
    static func seconds(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return "\(tenths)s"
    }

    /// A metric with four decimals: "0.8234".
    static func metric(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let scaled = (value * 10_000).rounded() / 10_000
        var text = "\(scaled)"
        if let dot = text.firstIndex(of: "."), !text.contains("e") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 4 { text += String(repeating: "0", count: 4 - decimals) }
        }
        return text
    }
}
