import Foundation

/// Where a parameter's values come from: the four shapes a search space is built of.
///
/// Samplers see every distribution in an internal space of doubles (`internalBounds`):
/// a float is itself (its logarithm when log scaled); an integer is itself or its logarithm,
/// widened by half a step each side so that every integer gets an equal share; a choice is the
/// index of its option.
///
/// ```swift
/// let rate = Distribution.float(1e-4...1e-1, log: true)
/// let units = Distribution.int(32...256, step: 32)
/// let activation = Distribution.choice(["relu", "gelu"])
/// ```
public enum Distribution: Sendable, Hashable, CustomStringConvertible {
    /// Floats in `low...high`, uniform or (with `log`) log-uniform.
    case float(ClosedRange<Double>, log: Bool)
    /// Integers in `low...high` on the grid `low, low + step, …`, uniform or log-uniform.
    case int(ClosedRange<Int>, step: Int, log: Bool)
    /// One of a list of options.
    case choice([ParameterValue])

    /// Checks bounds, steps and options, naming the parameter in the error.
    public func validate(name: String) throws(TuneError) {
        func fail(_ message: String) -> TuneError {
            .invalidDistribution(name: name, message: message)
        }
        switch self {
        case .float(let range, let log):
            guard range.lowerBound.isFinite, range.upperBound.isFinite else {
                throw fail("the bounds \(range) must be finite")
            }
            if log, range.lowerBound <= 0 {
                throw fail("a log-scaled range must be positive, not \(range)")
            }
        case .int(let range, let step, let log):
            guard step >= 1 else { throw fail("the step must be at least 1, not \(step)") }
            guard !range.upperBound.subtractingReportingOverflow(range.lowerBound).overflow else {
                throw fail("the range \(range) is too wide")
            }
            if log, range.lowerBound <= 0 {
                throw fail("a log-scaled range must be positive, not \(range)")
            }
            if log, step != 1 { throw fail("a log-scaled integer cannot also have a step") }
        case .choice(let options):
            guard !options.isEmpty else { throw fail("choice needs at least one option") }
            guard Set(options).count == options.count else {
                throw fail("the options \(options) contain duplicates")
            }
            for option in options {
                if case .double(let value) = option, !value.isFinite {
                    throw fail("the option \(value) is not finite")
                }
            }
        }
    }

    /// The number of distinct values, or nil for a continuous range.
    public var valueCount: Int? {
        switch self {
        case .float(let range, _): return range.lowerBound == range.upperBound ? 1 : nil
        case .int(let range, let step, _):
            let (width, overflow) = range.upperBound.subtractingReportingOverflow(range.lowerBound)
            return overflow || step <= 0 ? nil : width / step + 1
        case .choice(let options): return options.count
        }
    }

    /// Whether the distribution has a single value.
    public var isSingle: Bool { valueCount == 1 }

    /// Whether samplers treat it as unordered options.
    public var isCategorical: Bool {
        if case .choice = self { return true }
        return false
    }

    /// The internal space's bounds (see the type's description).
    public var internalBounds: ClosedRange<Double> {
        switch self {
        case .float(let range, let log):
            return log
                ? Foundation.log(range.lowerBound)...Foundation.log(range.upperBound) : range
        case .int(let range, let step, let log):
            let step = max(step, 1)
            let low = Double(range.lowerBound)
            let high = Double(highestInt(range, step: step))
            if log { return Foundation.log(low - 0.5)...Foundation.log(high + 0.5) }
            return (low - 0.5 * Double(step))...(high + 0.5 * Double(step))
        case .choice(let options):
            return 0...Double(max(options.count - 1, 0))
        }
    }

    /// The value at an internal coordinate, clamped into the distribution.
    public func value(atInternal x: Double) -> ParameterValue {
        let bounds = internalBounds
        let clamped =
            x.isNaN ? bounds.lowerBound : min(max(x, bounds.lowerBound), bounds.upperBound)
        switch self {
        case .float(let range, let log):
            let value = log ? Foundation.exp(clamped) : clamped
            return .double(min(max(value, range.lowerBound), range.upperBound))
        case .int(let range, let step, let log):
            let step = max(step, 1)
            let raw = log ? Foundation.exp(clamped) : clamped
            let steps = ((raw - Double(range.lowerBound)) / Double(step)).rounded()
            let high = highestInt(range, step: step)
            let maxSteps = Double((high &- range.lowerBound) / step)
            let index = steps.isNaN ? 0 : Int(min(max(steps, 0), maxSteps))
            return .int(range.lowerBound + index * step)
        case .choice(let options):
            let index = Int(min(max(clamped.rounded(), 0), Double(options.count - 1)))
            return options[index]
        }
    }

    /// The internal coordinate of a value, or nil when the value is not in the distribution.
    public func internalValue(of value: ParameterValue) -> Double? {
        switch self {
        case .float(let range, let log):
            guard let x = value.doubleValue, range.contains(x) else { return nil }
            return log ? Foundation.log(x) : x
        case .int(let range, let step, let log):
            let step = max(step, 1)
            guard let x = value.intValue, range.contains(x), (x &- range.lowerBound) % step == 0
            else { return nil }
            return log ? Foundation.log(Double(x)) : Double(x)
        case .choice(let options):
            return options.firstIndex(of: value).map(Double.init)
        }
    }

    /// Whether `value` is one of the distribution's values.
    public func contains(_ value: ParameterValue) -> Bool { internalValue(of: value) != nil }

    /// Every value of a finite distribution in order (nil for continuous floats and for
    /// integer ranges of more than a million values).
    public var allValues: [ParameterValue]? {
        switch self {
        case .float(let range, _):
            return range.lowerBound == range.upperBound ? [.double(range.lowerBound)] : nil
        case .int(let range, let step, _):
            guard let count = valueCount, count <= 1_000_000 else { return nil }
            return (0..<count).map { .int(range.lowerBound + $0 * step) }
        case .choice(let options): return options
        }
    }

    /// How the distribution reads in errors and tables: `uniform(0.0...0.5)`,
    /// `int(1...9, step: 2)`, `choice([relu, gelu])`.
    public var description: String {
        switch self {
        case .float(let range, let log): return "\(log ? "logUniform" : "uniform")(\(range))"
        case .int(let range, let step, let log):
            return "int(\(range)\(step == 1 ? "" : ", step: \(step)")\(log ? ", log: true" : ""))"
        case .choice(let options):
            return "choice([\(options.map(\.description).joined(separator: ", "))])"
        }
    }

    private func highestInt(_ range: ClosedRange<Int>, step: Int) -> Int {
        let (width, overflow) = range.upperBound.subtractingReportingOverflow(range.lowerBound)
        guard !overflow, step > 0 else { return range.lowerBound }
        return range.lowerBound + width / step * step
    }
}
