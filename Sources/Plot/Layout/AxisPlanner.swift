import Foundation

/// Whether an axis runs across (x) or up (y); decides how labels can collide.
enum AxisOrientation: Sendable {
    case horizontal
    case vertical
}

/// A labelled tick: its value, its text and its pixel position.
struct Tick: Sendable, Hashable {
    var value: Double
    var label: String
    var position: Double
}

/// An axis ready to draw: the value-to-pixel scale, labelled ticks that do not overlap, and
/// unlabelled minor ticks (log axes).
struct PlannedAxis: Sendable {
    var scale: PositionScale
    var ticks: [Tick]
    var minorTickPositions: [Double] = []
}

/// How tick labels are measured and spaced: in CSS pixels for images, in character cells for
/// terminals.
struct TickMetrics: Sendable {
    /// The width a label takes.
    var labelWidth: @Sendable (String) -> Double
    /// Free space kept between neighbouring labels on a horizontal axis.
    var horizontalGap: Double
    /// The least distance between neighbouring labels on a vertical axis.
    var verticalSpacing: Double
    /// About one tick per this length on a horizontal axis, before thinning.
    var horizontalDensity: Double
    /// About one tick per this length on a vertical axis.
    var verticalDensity: Double

    /// Labels in the tick font, in CSS pixels.
    static let image = TickMetrics(
        labelWidth: { FontMetrics.width(of: $0, size: Theme.tickLabelSize) }, horizontalGap: 10,
        verticalSpacing: Theme.tickLabelSize * 1.3, horizontalDensity: 80, verticalDensity: 45)

    /// Labels in terminal columns and rows.
    static let terminal = TickMetrics(
        labelWidth: { Double(TerminalWidth.columns(of: $0)) }, horizontalGap: 2,
        verticalSpacing: 2, horizontalDensity: 14, verticalDensity: 4)
}

/// Chooses an axis's domain and ticks.
///
/// Linear axes get 4 to 7 ticks at multiples of a 1-2-2.5-5 step (Heckbert's nice numbers), about
/// one per 80 px (x) or 45 px (y), whole numbers only for whole-number data; log axes put
/// ticks at powers of ten (every second, third, fifth… decade when crowded; 1–2–5 within a
/// short range). Labels are measured with `FontMetrics` and the step grows until neighbouring
/// labels keep a gap: no two tick labels ever overlap.
enum AxisPlanner {
    // MARK: - Domains

    /// The values an axis shows: the data's range with a margin (a fraction of the range on
    /// each side), unless the axis fixes a bound. With `anchoredAtZero` (bars, counts) a linear
    /// axis starts at zero with no margin there.
    static func domain(
        of values: [Double], axis: Axis, margin: Double = 0.04, anchoredAtZero: Bool = false
    ) -> (lower: Double, upper: Double) {
        switch axis.scale {
        case .linear: return linearDomain(values, axis: axis, margin: margin, zero: anchoredAtZero)
        case .log: return logDomain(values, axis: axis, margin: margin)
        }
    }

    private static func linearDomain(_ values: [Double], axis: Axis, margin: Double, zero: Bool)
        -> (lower: Double, upper: Double)
    {
        let limit = 1e300
        // Values beyond a fixed bound are out of view: clamp them to it, so that an outlier
        // (a loss that explodes) widens neither the margin nor the free side of the axis.
        let floor = axis.lowerBound.flatMap { $0.isFinite ? $0 : nil } ?? -limit
        let ceiling = axis.upperBound.flatMap { $0.isFinite ? $0 : nil } ?? limit
        let finite = values.filter(\.isFinite).map { min(max($0, floor), ceiling) }
        var lower = finite.min() ?? 0
        var upper = finite.max() ?? 1
        if zero {
            lower = min(lower, 0)
            upper = max(upper, 0)
        }
        if upper == lower {
            let pad = lower == 0 ? 1 : abs(lower) * 0.1
            if !(zero && lower == 0) { lower -= pad }
            upper += pad
        }
        let pad = (upper - lower) * margin
        if !(zero && lower == 0) { lower -= pad }
        if !(zero && upper == 0) { upper += pad }
        if let fixed = axis.lowerBound, fixed.isFinite { lower = fixed }
        if let fixed = axis.upperBound, fixed.isFinite { upper = fixed }
        if !(upper > lower) { upper = lower + 1 }
        return (lower, upper)
    }

    private static func logDomain(_ values: [Double], axis: Axis, margin: Double)
        -> (lower: Double, upper: Double)
    {
        let floor = axis.lowerBound.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1e-300
        let ceiling = axis.upperBound.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1e300
        let positive = values.filter { $0.isFinite && $0 > 0 }.map { min(max($0, floor), ceiling) }
        var lower = log10(positive.min() ?? 1)
        var upper = log10(positive.max() ?? 10)
        if upper == lower {
            lower -= 0.5
            upper += 0.5
        }
        let pad = (upper - lower) * margin
        lower -= pad
        upper += pad
        var result = (lower: pow(10, lower), upper: pow(10, upper))
        if let fixed = axis.lowerBound, fixed.isFinite, fixed > 0 { result.lower = fixed }
        if let fixed = axis.upperBound, fixed.isFinite, fixed > 0 { result.upper = fixed }
        if !(result.upper > result.lower) { result.upper = result.lower * 10 }
        return result
    }

    // MARK: - Ticks

    /// The most labelled ticks an axis gets, and the fewest it aims for.
    static let tickCountRange = 4...7

    /// Plans the ticks of an axis spanning `start…end` pixels for `domain`.
    ///
    /// - Parameters:
    ///   - integers: the data on the axis are whole numbers (epochs, counts), so a linear axis
    ///     is labelled at whole numbers only, never 1.5.
    ///   - given: the axis's own ticks (`Axis.ticks`): drawn instead of planned ones, those
    ///     inside the domain.
    static func plan(
        scale kind: AxisScale, domain: (lower: Double, upper: Double), start: Double, end: Double,
        orientation: AxisOrientation, metrics: TickMetrics = .image, integers: Bool = false,
        given: [AxisTick] = []
    ) -> PlannedAxis {
        let scale = PositionScale(
            kind: kind, lower: domain.lower, upper: domain.upper, start: start, end: end)
        if !given.isEmpty {
            let ticks = given.compactMap { tick -> Tick? in
                guard tick.value >= domain.lower, tick.value <= domain.upper,
                    let position = scale.position(tick.value)
                else { return nil }
                return Tick(value: tick.value, label: tick.label, position: position)
            }
            return PlannedAxis(scale: scale, ticks: ticks)
        }
        switch kind {
        case .linear:
            return PlannedAxis(
                scale: scale,
                ticks: linearTicks(
                    scale, orientation: orientation, metrics: metrics, integers: integers))
        case .log:
            return logTicks(scale, orientation: orientation, metrics: metrics)
        }
    }

    /// Whether every finite value is a whole number (and there is one).
    static func areIntegers(_ values: [Double]) -> Bool {
        let finite = values.filter(\.isFinite)
        return !finite.isEmpty && finite.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
    }

    /// Ticks at multiples of a 1-2-2.5-5 step whose labels keep their distance: of the steps
    /// giving 4 to 7 ticks, the one nearest to one tick per `horizontalDensity` or
    /// `verticalDensity`; failing that, the step with the most ticks that fit (with `integers`,
    /// no step below 1).
    static func linearTicks(
        _ scale: PositionScale, orientation: AxisOrientation, metrics: TickMetrics = .image,
        integers: Bool = false
    ) -> [Tick] {
        let span = scale.upper - scale.lower
        let pixelsPerTick =
            orientation == .horizontal ? metrics.horizontalDensity : metrics.verticalDensity
        let wanted = scale.length / pixelsPerTick
        let most = Double(tickCountRange.upperBound)
        // From a step that gives too many ticks, up the ladder.
        var step = NiceStep.heckbert(span / (most + 2), round: false)
        if integers, step.exponent < 0 { step = NiceStep(mantissa: 1, exponent: 0) }
        var best: (ticks: [Tick], fits: Bool, score: Double)?
        for _ in 0..<60 {
            defer { step = step.larger }
            if integers && !step.isWhole { continue }
            guard let values = step.multiples(from: scale.lower, to: scale.upper) else { continue }
            if values.count > tickCountRange.upperBound { continue }
            let largest = values.map(abs).max() ?? 0
            let ticks = values.compactMap { value -> Tick? in
                guard let position = scale.position(value) else { return nil }
                let label = TickLabel.linear(value, step: step, largest: largest)
                return Tick(value: value, label: label, position: position)
            }
            let fits = ticks.count <= 1 || fits(ticks, orientation: orientation, metrics: metrics)
            // In range, nearer the wanted density is better; below 4, more ticks are better.
            let count = Double(ticks.count)
            let score =
                tickCountRange.contains(ticks.count)
                ? abs(count - wanted) : 100 + Double(tickCountRange.lowerBound) - count
            if best == nil || (fits && !(best?.fits ?? false))
                || (fits == best?.fits && score < best?.score ?? .infinity)
            {
                best = (ticks, fits, score)
            }
            if ticks.count <= 1 { break }
        }
        return best?.ticks ?? []
    }

    /// Log ticks: powers of ten (every second, third, fifth… decade when crowded), or 1-2-5
    /// within each decade when the decades alone give fewer than four, or linear ticks on the
    /// log scale when even 1-2-5 gives fewer than three (a range shorter than a factor of 5).
    private static func logTicks(
        _ scale: PositionScale, orientation: AxisOrientation, metrics: TickMetrics
    ) -> PlannedAxis {
        let firstDecade = Int(min(max((log10(scale.lower) - 1e-9).rounded(.up), -300), 300))
        let lastDecade = Int(min(max((log10(scale.upper) + 1e-9).rounded(.down), -300), 300))
        var decades: PlannedAxis?
        if lastDecade - firstDecade >= 1 {
            let plain = firstDecade >= -3 && lastDecade <= 4
            for stride in [1, 2, 3, 5, 10, 20, 50, 100] {
                let exponents = (firstDecade...lastDecade).filter { $0 % stride == 0 }
                let ticks = exponents.compactMap { exponent -> Tick? in
                    let value = NiceStep.scaled(1, exponent)
                    guard let position = scale.position(value) else { return nil }
                    return Tick(
                        value: value, label: TickLabel.power(exponent, plain: plain),
                        position: position)
                }
                if ticks.count > tickCountRange.upperBound { continue }
                if ticks.count <= 1 || fits(ticks, orientation: orientation, metrics: metrics) {
                    let decadeLength = scale.length / max(log10(scale.upper / scale.lower), 1e-9)
                    let minor =
                        stride == 1 && decadeLength >= metrics.verticalDensity * 0.7
                        ? minorLogPositions(scale, from: firstDecade - 1, to: lastDecade) : []
                    decades = PlannedAxis(scale: scale, ticks: ticks, minorTickPositions: minor)
                    break
                }
            }
        }
        if let decades, decades.ticks.count >= tickCountRange.lowerBound { return decades }
        var ticks: [Tick] = []
        for exponent in (firstDecade - 1)...lastDecade {
            for mantissa in [1, 2, 5] {
                let value = NiceStep.scaled(Double(mantissa), exponent)
                guard value >= scale.lower, value <= scale.upper,
                    let position = scale.position(value)
                else { continue }
                let label = TickLabel.logMantissa(mantissa, exponent: exponent)
                ticks.append(Tick(value: value, label: label, position: position))
            }
        }
        if ticks.count >= 3, ticks.count > (decades?.ticks.count ?? 0),
            ticks.count <= tickCountRange.upperBound,
            fits(ticks, orientation: orientation, metrics: metrics)
        {
            let minor = decades?.minorTickPositions ?? []
            return PlannedAxis(scale: scale, ticks: ticks, minorTickPositions: minor)
        }
        if let decades, decades.ticks.count >= 2 { return decades }
        return PlannedAxis(
            scale: scale, ticks: linearTicks(scale, orientation: orientation, metrics: metrics))
    }

    private static func minorLogPositions(_ scale: PositionScale, from first: Int, to last: Int)
        -> [Double]
    {
        var positions: [Double] = []
        for exponent in first...last {
            for mantissa in 2...9 {
                let value = NiceStep.scaled(Double(mantissa), exponent)
                guard value > scale.lower, value < scale.upper,
                    let position = scale.position(value)
                else { continue }
                positions.append(position)
            }
        }
        return positions
    }

    /// Whether neighbouring labels keep their distance.
    static func fits(
        _ ticks: [Tick], orientation: AxisOrientation, metrics: TickMetrics = .image
    ) -> Bool {
        for (left, right) in zip(ticks, ticks.dropFirst()) {
            let distance = abs(right.position - left.position)
            switch orientation {
            case .horizontal:
                let needed =
                    (metrics.labelWidth(left.label) + metrics.labelWidth(right.label)) / 2
                    + metrics.horizontalGap
                if distance < needed { return false }
            case .vertical:
                if distance < metrics.verticalSpacing { return false }
            }
        }
        return true
    }
}
