import Foundation

/// The record of training: one `EpochRecord` per epoch (training and validation metrics, times,
/// learning rate), the loss of every batch, and how training ended.
///
/// A History is a reference object that `fit` fills as it goes, so a History passed in with
/// `fit(…, history:)` keeps every finished epoch even when the fit is interrupted or fails, and
/// a resumed fit continues the History of its checkpoint.
///
/// ```swift
/// let history = try model.fit(data.train, epochs: 10, optimizer: opt, validation: data.test)
/// history["val_accuracy"]          // [0.83, 0.85, …] one value per epoch
/// history.best("val_loss")         // (epoch: 7, value: 0.331)
/// print(history)                   // a table, one row per epoch
/// ```
public final class History {
    /// The finished epochs, in order.
    public private(set) var epochs: [EpochRecord] = []
    /// The training loss of every batch, in order (with regularization, as minimized).
    public private(set) var batchLosses: [Double] = []
    /// How training ended (`.running` while it runs).
    public internal(set) var outcome: TrainingOutcome = .running
    /// The name of the loss function.
    public internal(set) var lossName: String = ""

    /// An empty history.
    public init() {}

    /// The metric names in the order of the last epoch ("loss", "accuracy", "val_loss", …).
    public var metricNames: [String] { epochs.last?.metricNames ?? [] }

    /// The number of finished epochs.
    public var count: Int { epochs.count }

    /// The value of the metric `name` for every epoch (NaN for epochs without it).
    public subscript(name: String) -> [Double] {
        epochs.map { $0.metrics[name] ?? .nan }
    }

    /// The learning rate at the end of each epoch.
    public var learningRates: [Float] { epochs.map(\.learningRate) }

    /// The total training and validation time in seconds.
    public var totalSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }

    /// The epoch with the best value of `name` and that value, or nil if no epoch has it.
    ///
    /// - Parameters:
    ///   - name: The metric ("val_loss").
    ///   - mode: Whether lower or higher is better; `.auto` decides from the name.
    public func best(_ name: String, mode: MonitorMode = .auto) -> (epoch: Int, value: Double)? {
        let direction = mode.resolved(for: name)
        var best: (epoch: Int, value: Double)?
        for record in epochs {
            guard let value = record.metrics[name], !value.isNaN else { continue }
            if let current = best, !direction.improves(value, on: current.value, minDelta: 0) {
                continue
            }
            best = (record.epoch, value)
        }
        return best
    }

    // MARK: - Recording

    /// Appends a finished epoch.
    func append(_ record: EpochRecord) {
        epochs.append(record)
    }

    /// Appends one batch's loss.
    func appendBatchLoss(_ loss: Float) {
        batchLosses.append(Double(loss))
    }

    /// Reserves room for `count` more batch losses, so recording them does not reallocate.
    func reserveBatchLosses(_ count: Int) {
        batchLosses.reserveCapacity(batchLosses.count + max(count, 0))
    }

    /// Renumbers the epochs 0, 1, 2, … in order (after several fits recorded into one History,
    /// as `fineTune`'s two phases).
    func numberEpochsInSequence() {
        epochs = epochs.enumerated().map { index, record in
            EpochRecord(
                epoch: index, metrics: record.metrics, metricNames: record.metricNames,
                trainingSeconds: record.trainingSeconds,
                validationSeconds: record.validationSeconds, learningRate: record.learningRate,
                sampleCount: record.sampleCount)
        }
    }

    /// Replaces the contents with `other`'s (when resuming from a checkpoint).
    func replaceContents(with other: HistoryContents) {
        epochs = other.epochs
        batchLosses = other.batchLosses
        lossName = other.lossName
        outcome = .running
    }

    /// The contents as a value, for checkpoints.
    var contents: HistoryContents {
        HistoryContents(epochs: epochs, batchLosses: batchLosses, lossName: lossName)
    }
}

/// A History's contents as a Codable value (what a checkpoint stores).
struct HistoryContents: Codable, Sendable, Equatable {
    var epochs: [EpochRecord]
    var batchLosses: [Double]
    var lossName: String
}

extension History: CustomStringConvertible {
    /// A plain-text table: one row per epoch with its metrics, time and learning rate, then the
    /// outcome.
    public var description: String {
        guard !epochs.isEmpty else { return "History (no finished epoch; \(outcome))" }
        let names = metricNames
        let header = ["epoch"] + names + ["seconds", "lr"]
        var rows = [header]
        for record in epochs {
            rows.append(
                [String(record.epoch + 1)]
                    + names.map { record.metrics[$0].map(formatMetric) ?? "" }
                    + [
                        String(format: "%.2f", record.seconds),
                        String(format: "%.3g", record.learningRate),
                    ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }
                .joined(separator: "  ")
        }
        return (lines + ["(\(outcome))"]).joined(separator: "\n")
    }
}

/// A metric value with four significant decimals ("0.8734", "12.31").
func formatMetric(_ value: Double) -> String {
    String(format: Swift.abs(value) >= 100 ? "%.1f" : "%.4f", value)
}
