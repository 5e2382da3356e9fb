/// The learning-rate range test's chart (Smith, "Cyclical Learning Rates for Training Neural
/// Networks", 2017): the loss against a learning rate growing exponentially.
extension Chart {
    /// The smoothed loss against the learning rate on a log axis, the raw loss faint behind it,
    /// and the suggested rate marked. The loss axis shows the descent: its limits come from the
    /// losses before the blow-up at high rates, without their outliers, and the curves are
    /// clipped to them.
    ///
    /// ```swift
    /// Chart.learningRateSweep(
    ///     rates: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], losses: [2.3, 2.3, 2.2, 1.6, 1.9, 9.0],
    ///     smoothed: [2.3, 2.3, 2.26, 2.0, 1.97, 4.0], suggestion: 1e-2)
    /// ```
    ///
    /// - Parameters:
    ///   - rates: the learning rate of each step.
    ///   - losses: the loss of each step.
    ///   - smoothed: the smoothed loss of each step.
    ///   - suggestion: the suggested rate, or nil.
    public static func learningRateSweep(
        rates: [Double], losses: [Double], smoothed: [Double], suggestion: Double?
    ) -> Chart {
        var marks: [PlotMark] = [
            .line(
                LineSeries(
                    name: "loss", x: rates, y: losses,
                    color: Palette.color(at: 0).mixed(with: .white, fraction: 0.6), lineWidth: 1)),
            .line(LineSeries(name: "smoothed", x: rates, y: smoothed, color: Palette.color(at: 0))),
        ]
        if let suggestion, let index = rates.firstIndex(where: { $0 >= suggestion }),
            index < smoothed.count
        {
            marks.append(
                .scatter(
                    ScatterSeries(
                        name: "suggestion \(NumberFormat.scientific(1).format(suggestion))",
                        x: [rates[index]], y: [smoothed[index]], color: Palette.color(at: 1),
                        marker: .diamond, size: 6, opacity: 1)))
        }
        var yAxis = Axis(label: "loss")
        if let limits = sweepLossLimits(losses: losses, smoothed: smoothed) {
            yAxis.lowerBound = limits.lower
            yAxis.upperBound = limits.upper
        }
        let plot = XYPlot(
            xAxis: Axis(label: "learning rate", scale: .log), yAxis: yAxis, marks: marks)
        return Chart(title: "Learning-rate range test", content: .plot(plot))
    }

    /// The loss axis's limits: the 2nd to 98th percentile of the raw losses up to the smoothed
    /// minimum and of the smoothed losses up to the blow-up (the first step after the minimum
    /// where the smoothed loss is back above its starting level), reaching up to the starting
    /// level at least, widened by 8% of that range on each side. What is left out (the raw
    /// loss's swings at high rates, the blow-up) is clipped at the limits.
    static func sweepLossLimits(losses: [Double], smoothed: [Double]) -> (
        lower: Double, upper: Double
    )? {
        let finiteSmoothed = smoothed.enumerated().filter { $0.element.isFinite }
        guard let start = finiteSmoothed.first?.element,
            let valley = finiteSmoothed.min(by: { $0.element < $1.element })
        else { return nil }
        let blowUp =
            finiteSmoothed.first { $0.offset > valley.offset && $0.element > start }?.offset
            ?? smoothed.count
        let kept = (losses.prefix(valley.offset + 1) + smoothed.prefix(blowUp)).filter(\.isFinite)
            .sorted()
        guard let first = kept.first, let last = kept.last else { return nil }
        func quantile(_ q: Double) -> Double {
            kept[min(max(Int((Double(kept.count - 1) * q).rounded()), 0), kept.count - 1)]
        }
        var lower = kept.count >= 20 ? quantile(0.02) : first
        var upper = max(kept.count >= 20 ? quantile(0.98) : last, start)
        if !(upper > lower) {
            lower -= 0.5
            upper += 0.5
        }
        let pad = (upper - lower) * 0.08
        return (lower - pad, upper + pad)
    }
}
