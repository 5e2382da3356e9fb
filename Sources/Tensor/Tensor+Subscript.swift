// Subscripts: basic indexing (positions, ranges with steps, new axes, ellipsis) makes views that
// share storage; one integer-tensor index gathers along its axis. The backward rule of a view
// scatters the gradient into zeros of the input's shape.

extension Tensor {
    /// The part of this tensor that `indices` select (see `TensorIndex`).
    ///
    /// ```swift
    /// let firstImage = try images[0]
    /// let crop = try images[.all, .all, 2..<26, 2..<26]
    /// ```
    public subscript(_ indices: TensorIndex...) -> Tensor {
        get throws(TensorError) { try slice(indices) }
    }

    /// The rows (positions along the first axis) in `range`.
    public subscript(_ range: Range<Int>) -> Tensor {
        get throws(TensorError) { try slice([TensorIndex(range)]) }
    }

    /// The part of this tensor that `indices` select (see `TensorIndex`).
    public func slice(_ indices: [TensorIndex]) throws(TensorError) -> Tensor {
        let plan = try SlicePlan(indices, for: self)
        var view = detached.view(shape: plan.shape, strides: plan.strides, offset: plan.offset)
        if Tensor.recordsGradient(self) {
            let inputShape = shape
            let (viewShape, viewStrides, viewOffset) = (plan.shape, plan.strides, plan.offset)
            view.recordGradient("slice", inputs: [self]) { gradient throws(TensorError) in
                let full = try Tensor.zeros(inputShape)
                let target = full.view(shape: viewShape, strides: viewStrides, offset: viewOffset)
                Tensor.copyElements(from: try gradient.contiguous(), to: target)
                return [full]
            }
        }
        guard let (axis, positions) = plan.gathered else { return view }
        return try view.gather(positions, alongAxis: axis)
    }

    /// Writes `value` (broadcast to the selected shape, same dtype) into the part of this tensor
    /// that `indices` select, in place. No gradient is recorded. Index tensors are not allowed.
    ///
    /// ```swift
    /// try image.update(at: [.all, 0..<4, 0..<4], with: Tensor(0))
    /// ```
    public mutating func update(at indices: [TensorIndex], with value: Tensor)
        throws(TensorError)
    {
        guard value.dtype == dtype else {
            throw .dtypeMismatch(operation: "update", expected: "\(dtype)", actual: value.dtype)
        }
        try makeUniqueAndContiguous()
        let plan = try SlicePlan(indices, for: self)
        guard plan.gathered == nil else {
            throw .invalidArgument(
                operation: "update", message: "index tensors cannot be assigned through")
        }
        let target = view(shape: plan.shape, strides: plan.strides, offset: plan.offset)
        try target.checkBroadcastable(value, operation: "update")
        let source =
            value.shape == plan.shape ? value : try value.detached.broadcast(to: plan.shape)
        Tensor.copyElements(from: source, to: target)
    }
}

/// The view a list of `TensorIndex` components selects: its layout, and the axis and positions
/// of an index tensor, if there is one, to gather afterwards.
private struct SlicePlan {
    var shape: [Int] = []
    var strides: [Int] = []
    var offset: Int
    var gathered: (axis: Int, positions: Tensor)?

    init(_ indices: [TensorIndex], for tensor: Tensor) throws(TensorError) {
        offset = tensor.offset
        let consuming = indices.filter {
            switch $0 {
            case .newAxis, .ellipsis: return false
            default: return true
            }
        }.count
        let ellipses = indices.filter {
            if case .ellipsis = $0 { return true }
            return false
        }.count
        guard ellipses <= 1 else {
            throw .invalidArgument(operation: "subscript", message: "only one ellipsis is allowed")
        }
        guard consuming <= tensor.rank else {
            throw .invalidArgument(
                operation: "subscript",
                message: "\(consuming) indices for a tensor of rank \(tensor.rank)")
        }
        var axis = 0
        for component in indices {
            switch component {
            case .index(let position):
                let size = tensor.shape[axis]
                let normalized = position < 0 ? position &+ size : position
                guard normalized >= 0, normalized < size else {
                    throw .indexOutOfRange(
                        operation: "subscript", index: position, axis: axis, size: size)
                }
                offset += normalized * tensor.strides[axis]
                axis += 1
            case .range(let start, let end, let step):
                try appendRange(start, end, step: step, axis: axis, of: tensor)
                axis += 1
            case .all:
                shape.append(tensor.shape[axis])
                strides.append(tensor.strides[axis])
                axis += 1
            case .ellipsis:
                for _ in 0..<(tensor.rank - consuming) {
                    shape.append(tensor.shape[axis])
                    strides.append(tensor.strides[axis])
                    axis += 1
                }
            case .newAxis:
                shape.append(1)
                strides.append(0)
            case .indices(let positions):
                guard gathered == nil else {
                    throw .invalidArgument(
                        operation: "subscript", message: "only one index tensor is allowed")
                }
                gathered = (shape.count, positions)
                shape.append(tensor.shape[axis])
                strides.append(tensor.strides[axis])
                axis += 1
            }
        }
        while axis < tensor.rank {
            shape.append(tensor.shape[axis])
            strides.append(tensor.strides[axis])
            axis += 1
        }
    }

    /// Adds the axis a range selects, after checking its bounds (negative bounds count from
    /// the end; a reversed or empty range selects nothing).
    private mutating func appendRange(
        _ start: Int?, _ end: Int?, step: Int, axis: Int, of tensor: Tensor
    ) throws(TensorError) {
        let size = tensor.shape[axis]
        guard step != 0, step != Int.min else {
            throw .invalidArgument(
                operation: "subscript", message: "a range step cannot be \(step)")
        }
        func normalized(_ bound: Int) throws(TensorError) -> Int {
            let value = bound < 0 ? bound &+ size : bound
            guard value >= 0, value <= size else {
                throw .indexOutOfRange(operation: "subscript", index: bound, axis: axis, size: size)
            }
            return value
        }
        let count: Int
        let first: Int
        if step > 0 {
            first = try start.map(normalized) ?? 0
            let last = try end.map(normalized) ?? size
            count = last > first ? 1 + (last - first - 1) / step : 0
        } else {
            // Descending: start defaults to the last element, end to before the first.
            first =
                try start.map { (bound) throws(TensorError) in
                    Swift.min(try normalized(bound), size - 1)
                } ?? size - 1
            let last = try end.map(normalized) ?? -1
            count = first > last ? 1 + (first - last - 1) / -step : 0
        }
        if count > 0 { offset += first * tensor.strides[axis] }
        shape.append(count)
        // A step beyond the axis selects at most one element, whose stride does not matter.
        strides.append(count > 1 ? tensor.strides[axis] * step : tensor.strides[axis])
    }
}
