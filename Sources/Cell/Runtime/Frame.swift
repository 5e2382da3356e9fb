/// The storage of one function activation: its local slots, stored inline after the header in
/// a single allocation, read and written through a pointer (no exclusivity checks, no bounds
/// checks: slot numbers come from the compiler, which allocated exactly `count` of them).
final class Frame: ManagedBuffer<FrameHeader, Value> {
    /// A frame with `count` slots set to `()`.
    static func make(count: Int, captures: [Box], boxCount: Int) -> Frame {
        let buffer = Frame.create(minimumCapacity: count) { _ in
            FrameHeader(count: count, captures: captures, boxes: [])
        }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        frame.withUnsafeMutablePointers { header, slots in
            slots.initialize(repeating: .void, count: count)
            if boxCount > 0 {
                header.pointee.boxes = Array(repeating: Box(.void), count: boxCount)
            }
        }
        return frame
    }

    deinit {
        withUnsafeMutablePointers { header, slots in
            _ = slots.deinitialize(count: header.pointee.count)
        }
    }

    /// The value in `slot`.
    @inline(__always)
    subscript(slot: Int) -> Value {
        get { withUnsafeMutablePointerToElements { $0[slot] } }
        set { withUnsafeMutablePointerToElements { $0[slot] = newValue } }
    }

    /// Moves the value out of `slot`, leaving `()`, so that mutating it does not copy.
    @inline(__always)
    func take(_ slot: Int) -> Value {
        withUnsafeMutablePointerToElements { slots in
            let value = (slots + slot).move()
            (slots + slot).initialize(to: .void)
            return value
        }
    }

    /// The box of captured local number `index`.
    @inline(__always)
    func box(_ index: Int) -> Box { header.boxes[index] }

    /// The closure capture number `index`.
    @inline(__always)
    func capture(_ index: Int) -> Box { header.captures[index] }
}

/// What a frame holds besides its slots.
struct FrameHeader {
    let count: Int
    /// The boxes this function's closures captured, from the function value.
    let captures: [Box]
    /// Boxes for this activation's locals that nested closures capture.
    var boxes: [Box]
    /// In a builder closure (`Sequential { … }`), the values of its expression statements.
    var collector: [Value]?
}

/// A variable shared between a function and the closures that capture it.
final class Box {
    var value: Value

    init(_ value: Value) { self.value = value }
}

/// How a statement ended: normally, or by a jump that enclosing statements handle.
enum Flow {
    case normal
    /// `break` out of the loop or switch with this identifier.
    case breakLoop(Int)
    /// `continue` the loop with this identifier.
    case continueLoop(Int)
    case returned(Value)
    /// `fallthrough` into the next switch case.
    case fallthroughCase
}
