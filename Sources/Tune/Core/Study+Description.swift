import Foundation

extension Study: CustomStringConvertible {
    /// The trials as an aligned text table under a one-line summary:
    ///
    /// ```text
    /// Study (maximize): 3 trials — 2 complete, 1 pruned; best 0.91 (trial 2)
    /// trial  state     value   steps  seconds  rate     units
    ///     0  complete  0.88        9     2.31  0.0031   64
    ///     1  pruned    0.52        1     0.26  0.091    32
    /// ```
    public var description: String {
        var lines = [summary]
        guard !trials.isEmpty else { return lines[0] }
        let names = parameterNames
        let objectiveTitles =
            directions.count == 1 ? ["value"] : directions.indices.map { "value \($0)" }
        let hasConstraints = trials.contains { !$0.constraints.isEmpty }
        let hasSeconds = trials.contains { $0.seconds != nil }
        let hasWorkers = trials.contains { $0.worker != nil }
        var header = ["trial", "state"] + objectiveTitles + ["steps"]
        if hasSeconds { header.append("seconds") }
        if hasWorkers { header.append("worker") }
        if hasConstraints { header.append("feasible") }
        header += names
        var rows = [header]
        for trial in trials {
            var row = ["\(trial.number)", trial.state.name]
            row += directions.indices.map { index in
                trial.values.count > index ? Self.format(trial.values[index]) : ""
            }
            row.append(trial.stepCount > 0 ? "\(trial.stepCount)" : "")
            if hasSeconds { row.append(trial.seconds.map(Self.formatSeconds) ?? "") }
            if hasWorkers { row.append(trial.worker ?? "kernel") }
            if hasConstraints {
                row.append(trial.constraints.isEmpty ? "" : (trial.isFeasible ? "yes" : "no"))
            }
            row += names.map { name in
                trial.parameters[name].map { value in
                    if case .double(let x) = value { return Self.format(x) }
                    return value.description
                } ?? ""
            }
            rows.append(row)
        }
        let widths = header.indices.map { column in
            rows.map { $0[column].count }.max() ?? 0
        }
        for row in rows {
            let cells = row.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                let numbers = 3 + directions.count + (hasSeconds ? 1 : 0)
                let isNumber = column == 0 || (column >= 2 && column < numbers)
                return isNumber ? padding + text : text + padding
            }
            var line = cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// "Study (maximize): 12 trials — 10 complete, 2 pruned in 31.4 s; best 0.91 (trial 7)".
    public var summary: String {
        let directionText = directions.map(\.rawValue).joined(separator: ", ")
        var counts: [String: Int] = [:]
        for trial in trials { counts[trial.state.name, default: 0] += 1 }
        let order = ["complete", "pruned", "failed", "interrupted", "running"]
        let parts = order.compactMap { name in counts[name].map { "\($0) \(name)" } }
        var text =
            "Study (\(directionText)): \(trials.count) trial\(trials.count == 1 ? "" : "s")"
        if !parts.isEmpty { text += " — " + parts.joined(separator: ", ") }
        if trials.contains(where: { $0.seconds != nil }) {
            text += " in " + Self.formatSeconds(seconds) + " s"
        }
        if directions.count == 1, let best = try? best {
            text += "; best \(Self.format(best.value)) (trial \(best.number))"
        } else if directions.count > 1 {
            text += "; \(paretoFront.count) on the Pareto front"
        }
        return text
    }

    /// The parameter names in the order trials first asked for them.
    public var parameterNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for trial in trials {
            for name in trial.parameterOrder where seen.insert(name).inserted {
                names.append(name)
            }
        }
        return names
    }

    /// Seconds to a hundredth below 10 s, a tenth below 100 s, whole above.
    static func formatSeconds(_ seconds: Double) -> String {
        String(format: seconds < 10 ? "%.2f" : seconds < 100 ? "%.1f" : "%.0f", seconds)
    }

    static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
