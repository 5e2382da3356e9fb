/// Walks the elements of a sequence for `for … in`: ranges and strides without materialising
/// them, arrays (a snapshot, as Swift iterates a copy), strings by character, dictionaries as
/// (key, value) tuples, and library sequences through their registered iterator.
struct ValueIterator {
    enum Source {
        case integers(next: Int, step: Int, limit: Int, inclusive: Bool)
        case doubles(start: Double, step: Double, limit: Double, inclusive: Bool, index: Int)
        case values([Value], index: Int)
        case pairs(DictionaryValue, index: Int)
        case host(() throws -> Value?, site: SourceLocation?)
        case finished
    }

    var source: Source

    mutating func next() throws(Failure) -> Value? {
        switch source {
        case .integers(let next, let step, let limit, let inclusive):
            let inRange =
                step > 0
                ? (inclusive ? next <= limit : next < limit)
                : (inclusive ? next >= limit : next > limit)
            guard inRange else {
                source = .finished
                return nil
            }
            let (following, overflow) = next.addingReportingOverflow(step)
            source =
                overflow
                ? .finished
                : .integers(next: following, step: step, limit: limit, inclusive: inclusive)
            return .int(next)
        case .doubles(let start, let step, let limit, let inclusive, let index):
            let value = start + Double(index) * step
            let inRange =
                step > 0
                ? (inclusive ? value <= limit : value < limit)
                : (inclusive ? value >= limit : value > limit)
            guard inRange else {
                source = .finished
                return nil
            }
            source = .doubles(
                start: start, step: step, limit: limit, inclusive: inclusive, index: index + 1)
            return .double(value)
        case .values(let values, let index):
            guard index < values.count else {
                source = .finished
                return nil
            }
            source = .values(values, index: index + 1)
            return values[index]
        case .pairs(let dictionary, let index):
            guard index < dictionary.count else {
                source = .finished
                return nil
            }
            source = .pairs(dictionary, index: index + 1)
            return .tuple(
                TupleValue(
                    [dictionary.keys[index], dictionary.values[index]], labels: ["key", "value"]))
        case .host(let next, let site):
            do {
                guard let value = try next() else {
                    source = .finished
                    return nil
                }
                return value
            } catch {
                throw failure(from: error, at: site)
            }
        case .finished:
            return nil
        }
    }
}

extension Session {
    /// An iterator over `value`, or an error when it is not a sequence.
    func makeIterator(_ value: Value, at site: SourceLocation?) throws(Failure) -> ValueIterator {
        switch value {
        case .array(let elements):
            return ValueIterator(source: .values(elements, index: 0))
        case .string(let text):
            return ValueIterator(source: .values(text.map { .string(String($0)) }, index: 0))
        case .dictionary(let dictionary):
            return ValueIterator(source: .pairs(dictionary, index: 0))
        case .range(let range):
            return try rangeIterator(range, at: site)
        case .host(let object):
            guard let iterate = object.type.iterate else { break }
            do {
                return ValueIterator(source: .host(try iterate(value, self), site: site))
            } catch {
                throw failure(from: error, at: site)
            }
        default:
            break
        }
        throw Failure(
            .typeMismatch(
                "a value of type \(value.typeName) is not a sequence; 'for … in' needs a range, "
                    + "array, string, dictionary or library sequence"), at: site)
    }

    private func rangeIterator(_ range: RangeValue, at site: SourceLocation?) throws(Failure)
        -> ValueIterator
    {
        guard let lower = range.lower else {
            throw Failure(
                .invalidValue("cannot iterate over \(range.textDescription): it has no start"),
                at: site)
        }
        let upper = range.upper
        switch (lower, upper, range.step) {
        case (.int(let low), .int(let high)?, nil):
            return ValueIterator(
                source: .integers(next: low, step: 1, limit: high, inclusive: range.isClosed))
        case (.int(let low), nil, nil):
            return ValueIterator(
                source: .integers(next: low, step: 1, limit: Int.max, inclusive: true))
        case (.int(let low), .int(let high)?, .int(let step)?):
            return ValueIterator(
                source: .integers(next: low, step: step, limit: high, inclusive: range.isClosed))
        default:
            guard let start = lower.numberValue, let limit = upper?.numberValue,
                let step = range.step?.numberValue
            else {
                throw Failure(
                    .invalidValue(
                        "cannot iterate over \(range.textDescription); use Int bounds or "
                            + "stride(from:to:by:) for Doubles"), at: site)
            }
            return ValueIterator(
                source: .doubles(
                    start: start, step: step, limit: limit, inclusive: range.isClosed, index: 0))
        }
    }
}

extension Value {
    /// The value as a Double when it is a number.
    package var numberValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
}
