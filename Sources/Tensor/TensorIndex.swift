/// One component of a subscript: what to take along one axis.
///
/// ```swift
/// x[0]                                  // the first row; drops the axis
/// x[1..<3]                              // rows 1 and 2
/// x[.all, .range(1, 3, step: 1)]        // columns 1 and 2 of every row
/// x[.range(0, nil, step: 2)]            // every other row
/// x[.ellipsis, -1]                      // the last element along the last axis
/// x[.indices(batchIndices)]             // rows picked by an int32 tensor
/// x[.newAxis]                           // a new leading axis of size 1
/// ```
public enum TensorIndex: Sendable {
    /// A single position (negative counts from the end); the axis is dropped.
    case index(Int)
    /// Positions `start, start + step, …` before `end` (nil start/end mean the ends of the axis
    /// in the direction of `step`; negative values count from the end); the axis is kept.
    case range(Int?, Int?, step: Int)
    /// The whole axis.
    case all
    /// As many `.all` as needed so that the remaining components index the last axes.
    case ellipsis
    /// A new axis of size 1.
    case newAxis
    /// The positions listed in an integer tensor (advanced indexing); its shape replaces the
    /// axis. At most one per subscript.
    case indices(Tensor)
}

extension TensorIndex: ExpressibleByIntegerLiteral {
    /// An integer literal is a single position.
    public init(integerLiteral value: Int) { self = .index(value) }
}

extension TensorIndex {
    /// The positions of a half-open range.
    public init(_ range: Range<Int>) { self = .range(range.lowerBound, range.upperBound, step: 1) }
    /// The positions of a closed range.
    public init(_ range: ClosedRange<Int>) {
        let end = range.upperBound == -1 ? nil : range.upperBound &+ 1
        self = .range(range.lowerBound, end, step: 1)
    }
    /// The positions from a start to the end of the axis.
    public init(_ range: PartialRangeFrom<Int>) { self = .range(range.lowerBound, nil, step: 1) }
    /// The positions from the start of the axis up to an end.
    public init(_ range: PartialRangeUpTo<Int>) { self = .range(nil, range.upperBound, step: 1) }
    /// The positions from the start of the axis through an end.
    public init(_ range: PartialRangeThrough<Int>) {
        self = .range(nil, range.upperBound == -1 ? nil : range.upperBound &+ 1, step: 1)
    }
}
