/// Text renderings of a progress state: a one-line bar for terminals (redrawn with `\r`) and a
/// one-line summary per epoch.
extension ProgressState {
    /// The state as one line of at most `width` columns:
    ///
    ///     Training  epoch 3/10 ▕██████▋         ▏ 120/469  0:42<1:10  2,304 samples/s  loss 0.4120
    ///
    /// Parts that do not fit are dropped, the rate first, then metrics from the last.
    public func line(width: Int = 80) -> String {
        let width = min(max(width, 20), 400)
        var head: [String] = []
        if let title, !title.isEmpty { head.append(Table.singleLine(title)) }
        if let epoch { head.append("epoch \(epoch)" + (epochCount.map { "/\($0)" } ?? "")) }
        // Parts in display order with how much they matter; the least are dropped first.
        // An empty text stands for the bar, which takes the room left (10 to 32 columns).
        var parts: [(text: String, priority: Int)] = []
        if let status = statusText {
            parts.append((status, 7))
        } else if fractionDone != nil {
            parts.append(("", 4))
        }
        parts.append(
            (stepCount.map { "\(step)/\($0)" } ?? "\(Table.singleLine(stepName)) \(step)", 6))
        parts.append((timeText, 5))
        if let rate = samplesPerSecond { parts.append((Self.rateText(rate), 1)) }
        for (index, metric) in metrics.enumerated() {
            parts.append(("\(metric.name) \(Self.metricText(metric.value))", index < 2 ? 3 : 2))
        }
        while true {
            let fixed = TerminalWidth.columns(
                of: (head + parts.map(\.text)).joined(separator: "  "))
            let hasBar = parts.contains { $0.text.isEmpty }
            let room = width - fixed
            if room >= (hasBar ? 10 : 0) {
                let bar = Self.bar(fraction: fractionDone ?? 0, width: min(room, 32))
                return (head + parts.map { $0.text.isEmpty ? bar : $0.text }).joined(
                    separator: "  ")
            }
            guard let lowest = parts.indices.min(by: { parts[$0].priority < parts[$1].priority }),
                parts[lowest].priority < 6
            else {
                let text = (head + parts.filter { !$0.text.isEmpty }.map(\.text)).joined(
                    separator: "  ")
                return TerminalWidth.truncated(text, to: width)
            }
            parts.remove(at: lowest)
        }
    }

    /// A summary line for the end of an epoch (Keras's `verbose=2`):
    ///
    ///     epoch 3/10  12.3 s  4,870 samples/s  loss 0.4120  accuracy 0.8610  val_loss 0.4410
    ///
    /// - Parameter duration: the epoch's own time in seconds, or nil to show the total.
    public func epochLine(duration: Double? = nil) -> String {
        var pieces: [String] = []
        if let epoch { pieces.append("epoch \(epoch)" + (epochCount.map { "/\($0)" } ?? "")) }
        pieces.append(NumberFormat.duration.format(duration ?? elapsed))
        if let rate = samplesPerSecond { pieces.append(Self.rateText(rate)) }
        pieces += metrics.map { "\($0.name) \(Self.metricText($0.value))" }
        if let status = statusText { pieces.append(status) }
        return pieces.joined(separator: "  ")
    }

    /// "0:42<1:10" while running with an estimate, else the elapsed time.
    var timeText: String {
        let elapsedText = NumberFormat.clockText(elapsed)
        guard let remaining else { return elapsedText }
        return "\(elapsedText)<\(NumberFormat.clockText(remaining))"
    }

    /// How the job ended, when it did not run to the end.
    var statusText: String? {
        switch phase {
        case .running, .finished: return nil
        case .interrupted: return "interrupted"
        case .failed(let message): return "failed: " + Table.singleLine(message)
        }
    }

    static func rateText(_ rate: Double) -> String {
        let text =
            rate >= 100_000
            ? NumberFormat.fixed(0).format(rate / 1000) + "k"
            : rate >= 100 ? NumberFormat.grouped.format(rate) : NumberFormat.fixed(1).format(rate)
        return text + " samples/s"
    }

    static func metricText(_ value: Double) -> String {
        abs(value) < 1000
            ? NumberFormat.fixed(4).format(value) : NumberFormat.automatic.format(value)
    }

    /// A bar of `width` cells, eighths of a cell for the edge, between ▕ and ▏.
    static func bar(fraction: Double, width: Int) -> String {
        let cells = max(width - 2, 1)
        let clamped = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let filled = clamped * Double(cells)
        let whole = Int(filled)
        let eighths = Int(((filled - Double(whole)) * 8).rounded(.down))
        let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: whole)
        if whole < cells {
            text += eighths > 0 ? String(partials[eighths - 1]) : " "
            text += String(repeating: " ", count: cells - whole - 1)
        }
        return "▕" + text + "▏"
    }
}
