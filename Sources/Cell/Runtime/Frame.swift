/// One function activation: a window of the session's value stack holding its local slots,
/// plus a context for what outlives plain slots (boxes of captured variables, the closure's
/// captures, a builder's collected values).
///
/// Slots are read and written through a pointer: no allocation per call, no exclusivity or
/// bounds checks (slot numbers come from the compiler, which reserved exactly that many).
struct Frame {
    let slots: UnsafeMutablePointer<Value>
    /// Kept alive by whoever made the frame (`Session.withFrame`, `Session.callDirect`) for as
    /// long as it runs, so copies of the frame need not retain it.
    unowned(unsafe) let context: FrameContext

    /// The value in `slot`.
    @inline(__always)
    subscript(slot: Int) -> Value {
        get { slots[slot] }
        nonmutating set { slots[slot] = newValue }
    }

    /// Stores `value` in `slot` and releases the value it replaces through `ValueTeardown`.
    @inline(__always)
    func replace(_ slot: Int, with value: Value) {
        var old = (slots + slot).move()
        (slots + slot).initialize(to: value)
        ValueTeardown.release(&old)
    }

    /// Moves the value out of `slot`, leaving `()`, so that mutating it does not copy.
    @inline(__always)
    func take(_ slot: Int) -> Value {
        let value = (slots + slot).move()
        (slots + slot).initialize(to: .void)
        return value
    }

    /// The box of captured local number `index`.
    @inline(__always)
    func box(_ index: Int) -> Box { context.boxes[index] }

    /// The closure capture number `index`.
    @inline(__always)
    func capture(_ index: Int) -> Box { context.captures[index] }
}

/// What a frame holds besides its slots. Frames that need none of it share one empty context.
final class FrameContext {
    /// The boxes the running closure captured, from the function value.
    let captures: [Box]
    /// Boxes for this activation's locals that nested closures capture.
    var boxes: [Box]
    /// In a builder closure (`Sequential { … }`), the values of its expression statements.
    var collector: [Value]?
    /// Whether `collector` is set: a constant, which a call reads without the exclusivity
    /// check that reading the variable costs.
    let collects: Bool

    init(captures: [Box], boxCount: Int, collects: Bool = false) {
        self.captures = captures
        self.boxes = (0..<boxCount).map { _ in Box(.void, isPending: true) }
        self.collector = collects ? [] : nil
        self.collects = collects
    }

    /// Declares the boxed variable `index` with `value`: in its pending box, or in a new one
    /// when it was declared before (a loop's next iteration).
    func declare(_ index: Int, _ value: Value) {
        let box = boxes[index]
        if box.isPending {
            box.value = value
            box.isPending = false
        } else {
            boxes[index] = Box(value)
        }
    }

    /// Whether a frame with these needs can use the shared empty context.
    static func isNeeded(captures: [Box], boxCount: Int) -> Bool {
        boxCount > 0 || !captures.isEmpty
    }
}

/// The session's stack of local slots. Frames are pushed and popped in strict LIFO order (a
/// call pops its frame on return and on throw), so a push is a pointer bump. The stack grows
/// in segments that never move, so slot pointers stay valid.
final class ValueStack {
    private struct Segment {
        let start: UnsafeMutablePointer<Value>
        let end: UnsafeMutablePointer<Value>
    }

    private struct State {
        var top: UnsafeMutablePointer<Value>
        var end: UnsafeMutablePointer<Value>
        var current: Int
    }

    private static let segmentSize = 1 << 16
    private var segments: [Segment] = []
    private var savedTops: [UnsafeMutablePointer<Value>] = []
    private let state: UnsafeMutablePointer<State>

    init() {
        let first = UnsafeMutablePointer<Value>.allocate(capacity: ValueStack.segmentSize)
        segments = [Segment(start: first, end: first + ValueStack.segmentSize)]
        state = .allocate(capacity: 1)
        state.initialize(to: State(top: first, end: first + ValueStack.segmentSize, current: 0))
    }

    deinit {
        for segment in segments { segment.start.deallocate() }
        state.deallocate()
    }

    /// Reserves `count` slots set to `()`.
    @inline(__always)
    func push(_ count: Int) -> UnsafeMutablePointer<Value> {
        if state.pointee.top + count > state.pointee.end { nextSegment(count) }
        let base = state.pointee.top
        base.initialize(repeating: .void, count: count)
        state.pointee.top = base + count
        return base
    }

    /// Releases the `count` slots at `base`, the most recently pushed.
    @inline(__always)
    func pop(_ base: UnsafeMutablePointer<Value>, _ count: Int) {
        for offset in 0..<count where !(base + offset).pointee.isTrivial {
            // A number, Boolean, `()` or nil owns nothing: its slot is simply abandoned.
            var old = (base + offset).move()
            ValueTeardown.release(&old)
        }
        state.pointee.top = base
        if state.pointee.current > 0, base == segments[state.pointee.current].start {
            previousSegment()
        }
    }

    private func nextSegment(_ count: Int) {
        savedTops.append(state.pointee.top)
        let next = state.pointee.current + 1
        if next == segments.count || segments[next].end - segments[next].start < count {
            let size = max(ValueStack.segmentSize, count)
            let start = UnsafeMutablePointer<Value>.allocate(capacity: size)
            let segment = Segment(start: start, end: start + size)
            if next == segments.count {
                segments.append(segment)
            } else {
                segments[next].start.deallocate()
                segments[next] = segment
            }
        }
        state.pointee.current = next
        state.pointee.top = segments[next].start
        state.pointee.end = segments[next].end
    }

    private func previousSegment() {
        state.pointee.current -= 1
        state.pointee.end = segments[state.pointee.current].end
        state.pointee.top = savedTops.removeLast()
    }
}

/// A variable shared between a function and the closures that capture it.
final class Box {
    var value: Value
    /// Whether its variable is not declared yet in this activation. A local function, made at
    /// the top of its block, may capture the box before `var x = …` runs; the declaration then
    /// fills this box rather than making a new one, so the function sees the variable.
    var isPending: Bool

    init(_ value: Value, isPending: Bool = false) {
        self.value = value
        self.isPending = isPending
    }

    deinit {
        // Released through ValueTeardown: a chain of closures each capturing the previous one
        // must not be released by recursion.
        if value.mayHoldValues {
            var held = value
            value = .void
            ValueTeardown.release(&held)
        }
    }
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

extension Session {
    /// Runs `body` with a new frame of `count` slots, popped afterwards (also on throw).
    @inline(__always)
    func withFrame<T>(
        count: Int, captures: [Box], boxCount: Int, collects: Bool = false,
        _ body: (Frame) throws(Failure) -> T
    ) throws(Failure) -> T {
        let slots = stack.push(count)
        defer { stack.pop(slots, count) }
        if !collects, boxCount == 0, captures.isEmpty {
            // The session keeps the shared empty context alive.
            return try body(Frame(slots: slots, context: emptyContext))
        }
        let context =
            collects || FrameContext.isNeeded(captures: captures, boxCount: boxCount)
            ? FrameContext(captures: captures, boxCount: boxCount, collects: collects)
            : emptyContext
        return try withExtendedLifetime(context) { () throws(Failure) -> T in
            try body(Frame(slots: slots, context: context))
        }
    }
}
