/// Releases values nested arbitrarily deep without recursing.
///
/// Swift releases a value by releasing what it holds, so dropping `[[[…]]]` ten million levels
/// deep (built by `for _ in 0..<10_000_000 { n = [n] }`) recursed ten million times and
/// overflowed the stack, killing the kernel. Every place that drops a value which may hold
/// others (an assignment, a popped frame, `%reset`, a struct instance, a captured variable's
/// box) hands it here instead: a container that nothing else holds has its nested values moved
/// onto a work list before it dies, so each release Swift performs is one level deep. A
/// container that is still shared elsewhere is just released (it does not die).
///
/// ```swift
/// var old = frame.take(slot)
/// ValueTeardown.release(&old)
/// ```
enum ValueTeardown {
    /// Releases `value` level by level, leaving `()` (a number or a string is just released).
    ///
    /// The value is taken `inout` so that the caller's variable is the only reference left:
    /// callers move it out of its slot first (`var old = slot.move()`, or copy it and clear
    /// the slot), so that a container nothing else holds is seen as unique.
    @inline(__always)
    static func release(_ value: inout Value) {
        if value.mayHoldValues {
            releaseNested(&value)
        } else {
            value = .void
        }
    }

    private static func releaseNested(_ value: inout Value) {
        // The work list stays empty, and unallocated, when the value is still shared.
        var pending: [Value] = []
        dismantle(&value, into: &pending)
        while !pending.isEmpty {
            var next = pending.removeLast()
            dismantle(&next, into: &pending)
        }
    }

    /// Moves the values nested in `value` onto `pending` when nothing else holds its storage,
    /// and leaves `value` as `()`.
    private static func dismantle(_ value: inout Value, into pending: inout [Value]) {
        // Each payload is bound with `if case` and `value` cleared before the uniqueness check,
        // so that the binding holds the only reference when nothing else does.
        if case .array(var elements) = value {
            value = .void
            moveNested(&elements, into: &pending)
        } else if case .tuple(var tuple) = value {
            value = .void
            moveNested(&tuple.elements, into: &pending)
        } else if case .dictionary(var dictionary) = value {
            value = .void
            var (keys, values) = dictionary.takeContents()
            moveNested(&keys, into: &pending)
            moveNested(&values, into: &pending)
        } else if case .structure(var instance) = value {
            value = .void
            guard isKnownUniquelyReferenced(&instance) else { return }
            instance.moveNestedFields(into: &pending)
        } else if case .function(var function) = value {
            value = .void
            guard isKnownUniquelyReferenced(&function), let cell = function as? CellFunction else {
                return
            }
            var boxes = cell.takeCaptures()
            for index in boxes.indices where isKnownUniquelyReferenced(&boxes[index]) {
                let captured = boxes[index].value
                boxes[index].value = .void
                if captured.mayHoldValues { pending.append(captured) }
            }
        }
    }

    /// Moves the elements that may hold values onto `pending` when `elements` is the only
    /// reference to its storage, then releases the (now shallow) storage.
    private static func moveNested(_ elements: inout [Value], into pending: inout [Value]) {
        guard isUniquelyReferenced(&elements) else { return }
        for index in elements.indices where elements[index].mayHoldValues {
            pending.append(elements[index])
            elements[index] = .void
        }
        elements = []
    }

    /// Whether nothing but `array` holds its storage. A Swift array is one reference to its
    /// storage, a native Swift object on Linux (there is no Objective-C bridging), so the
    /// standard uniqueness check applies once the reference is seen as a native class (seen
    /// as `AnyObject`, Swift 6 answers false for every array). `DeepValueTests` checks the
    /// assumption. The shared empty array is never unique.
    static func isUniquelyReferenced(_ array: inout [Value]) -> Bool {
        guard MemoryLayout<[Value]>.size == MemoryLayout<StorageReference>.size else {
            return false
        }
        return withUnsafeMutablePointer(to: &array) { pointer in
            pointer.withMemoryRebound(to: StorageReference.self, capacity: 1) {
                isKnownUniquelyReferenced(&$0.pointee)
            }
        }
    }

    /// A native Swift class standing for an array's storage object in `isUniquelyReferenced`
    /// (only its reference count is read).
    private final class StorageReference {}
}

extension Value {
    /// Whether the value owns no memory (a number, a Boolean, `()` or nil), so dropping it
    /// needs no release.
    @inline(__always)
    var isTrivial: Bool {
        switch self {
        case .void, .nilValue, .bool, .int, .double: return true
        default: return false
        }
    }

    /// Whether the value can hold other values, so that releasing, comparing or describing it
    /// may have to go deeper.
    @inline(__always)
    var mayHoldValues: Bool {
        switch self {
        case .array, .dictionary, .tuple, .structure, .function: return true
        default: return false
        }
    }
}

extension StructInstance {
    /// Moves the fields that may hold values onto `pending`, leaving `()` in their place.
    func moveNestedFields(into pending: inout [Value]) {
        for index in 0..<count where self[index].mayHoldValues {
            pending.append(take(index))
        }
    }
}
