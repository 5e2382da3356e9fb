/// Writes the text of a value that may hold others (arrays, dictionaries, tuples, struct
/// instances) with a work list instead of recursion, and cuts it short past `Limits`, noting
/// what was left out, as NumPy and IPython do: printing a value nested a million levels deep
/// took 114 s and hundreds of MB, and deeper ones overflowed the stack.
///
/// ```swift
/// ValueDescriber().describe(.array((0..<5000).map { .int($0) }))
/// // "[0, 1, …, 999, … 4,000 more] (4,000 elements not shown)"
/// ```
struct ValueDescriber {
    /// How much of a value a description shows.
    struct Limits {
        /// Elements shown per collection (IPython's pretty printer shows 1,000).
        var elements = 1_000
        /// Levels of nesting shown; deeper collections show as `[…]`.
        var depth = 100
        /// Characters after which the rest of the value is left out.
        var characters = 200_000
    }

    /// The limits applied.
    var limits = Limits()

    /// A user struct's own `description`, or nil for the structural form `Name(field: …)`.
    var customDescription: (Value) throws(Failure) -> String? = { _ in nil }

    private enum Task {
        case text(String)
        case value(Value, depth: Int)
    }

    /// What was left out, for the note at the end.
    private struct Omissions {
        var elements = 0
        var deepLevels = false
        var characters = false

        var note: String {
            var parts: [String] = []
            if elements > 0 {
                parts.append(
                    "\(ValueDescriber.grouped(elements)) element\(elements == 1 ? "" : "s") not shown"
                )
            }
            if deepLevels { parts.append("levels deeper than the limit shown as …") }
            if characters { parts.append("the rest of the value not shown") }
            return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
        }
    }

    /// The text of `value`: strings quoted, numbers as `debugText` writes them.
    func describe(_ value: Value) throws(Failure) -> String {
        var output = ""
        var omitted = Omissions()
        var tasks: [Task] = [.value(value, depth: 0)]
        while let task = tasks.popLast() {
            if output.utf8.count > limits.characters {
                omitted.characters = true
                output += "…"
                break
            }
            switch task {
            case .text(let text):
                output += text
            case .value(let value, let depth):
                try write(value, depth: depth, to: &output, tasks: &tasks, omitted: &omitted)
            }
        }
        return output + omitted.note
    }

    /// Writes the opening of `value` and schedules its elements (tasks run last-in first-out,
    /// so they are pushed in reverse).
    private func write(
        _ value: Value, depth: Int, to output: inout String, tasks: inout [Task],
        omitted: inout Omissions
    ) throws(Failure) {
        if case .structure = value, let custom = try customDescription(value) {
            output += custom
            return
        }
        let (open, close, items, name): (String, String, [(label: String?, value: Value)], String)
        var left = 0
        switch value {
        case .array(let elements):
            (open, close, name) = ("[", "]", "")
            guard depth < limits.depth else { return cut("[…]", &output, &omitted) }
            items = elements.prefix(limits.elements).map { (nil, $0) }
            left = max(0, elements.count - limits.elements)
        case .tuple(let tuple):
            (open, close, name) = ("(", ")", "")
            guard depth < limits.depth else { return cut("(…)", &output, &omitted) }
            items = tuple.elements.enumerated().map { (tuple.labels?[$0.offset], $0.element) }
        case .structure(let instance):
            (open, close, name) = ("(", ")", instance.type.name)
            guard depth < limits.depth else {
                return cut("\(instance.type.name)(…)", &output, &omitted)
            }
            items = zip(instance.type.storedProperties, instance.fields).map {
                ($0.0.name, $0.1)
            }
        case .dictionary(let dictionary):
            guard dictionary.count > 0 else {
                output += "[:]"
                return
            }
            guard depth < limits.depth else { return cut("[…]", &output, &omitted) }
            output += "["
            tasks.append(.text("]"))
            let shown = min(dictionary.count, limits.elements)
            if dictionary.count > shown {
                omitted.elements += dictionary.count - shown
                tasks.append(.text(", … \(Self.grouped(dictionary.count - shown)) more"))
            }
            for index in stride(from: shown - 1, through: 0, by: -1) {
                tasks.append(.value(dictionary.values[index], depth: depth + 1))
                tasks.append(.text(": "))
                tasks.append(.value(dictionary.keys[index], depth: depth + 1))
                if index > 0 { tasks.append(.text(", ")) }
            }
            return
        case .string(let text):
            // Quoted only as far as the character limit reaches, whatever the string's size.
            let room = max(0, limits.characters - output.utf8.count) + 1
            let quoted = Value.quoted(text, limit: room)
            output += quoted.text
            if quoted.isCut { omitted.characters = true }
            return
        default:
            output += value.debugText
            return
        }
        output += name + open
        tasks.append(.text(close))
        if left > 0 {
            omitted.elements += left
            tasks.append(.text(", … \(Self.grouped(left)) more"))
        }
        for (index, item) in items.enumerated().reversed() {
            tasks.append(.value(item.value, depth: depth + 1))
            if let label = item.label { tasks.append(.text(label + ": ")) }
            if index > 0 { tasks.append(.text(", ")) }
        }
    }

    /// A count with thousands separated by commas: "4,000".
    private static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var out = count < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    private func cut(_ text: String, _ output: inout String, _ omitted: inout Omissions) {
        output += text
        omitted.deepLevels = true
    }
}
