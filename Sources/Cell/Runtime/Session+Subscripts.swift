/// Subscripts: arrays, strings, dictionaries, ranges, and library types' own.
extension Session {
    /// Reads `value[arguments]`.
    func subscriptValue(_ value: Value, _ arguments: inout CallArguments) throws(Failure) -> Value {
        let site = arguments.site
        switch value {
        case .array(let elements):
            let index = try singleIndex(arguments, of: value)
            switch index {
            case .int(let position):
                return elements[try checkedIndex(position, count: elements.count, at: site)]
            case .range(let range):
                let bounds = try resolve(range, count: elements.count, at: site)
                return .array(Array(elements[bounds]))
            default:
                throw Failure(indexTypeError(index, of: value), at: site)
            }
        case .string(let text):
            let index = try singleIndex(arguments, of: value)
            let characters = Array(text)
            switch index {
            case .int(let position):
                return .string(
                    String(
                        characters[try checkedIndex(position, count: characters.count, at: site)]))
            case .range(let range):
                let bounds = try resolve(range, count: characters.count, at: site)
                return .string(String(characters[bounds]))
            default:
                throw Failure(indexTypeError(index, of: value), at: site)
            }
        case .dictionary(let dictionary):
            let (key, fallback) = try dictionaryKey(arguments)
            return dictionary[key] ?? fallback ?? .nilValue
        case .range(let range):
            let index = try singleIndex(arguments, of: value)
            guard case .int(let position) = index, let bounds = range.intBounds else {
                throw Failure(indexTypeError(index, of: value), at: site)
            }
            return .int(
                bounds.lowerBound + (try checkedIndex(position, count: bounds.count, at: site)))
        case .host(let object) where !object.type.subscripts.isEmpty:
            let subscripts = object.type.subscripts
            let chosen = try chooseOverload(subscripts.map(\.signature), for: arguments)
            let bound = try bind(&arguments, to: subscripts[chosen].signature)
            do {
                return try subscripts[chosen].get(
                    value,
                    Arguments(
                        values: bound, session: self, signature: subscripts[chosen].signature,
                        location: site))
            } catch {
                throw failure(from: error, at: site)
            }
        case .nilValue:
            throw Failure(
                .unexpectedNil("cannot subscript nil; unwrap the optional first"), at: site)
        default:
            throw Failure(
                .typeMismatch("a value of type \(value.typeName) cannot be subscripted"), at: site)
        }
    }

    /// Changes `value[arguments]` in place through `body`.
    func modifySubscript(
        _ value: inout Value, _ arguments: inout CallArguments,
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        let site = arguments.site
        // Arrays and dictionaries are bound with `if case` outside the `switch` (which keeps a
        // second reference to the storage until it ends) and moved out, so that changing an
        // element or inserting an entry does not copy the whole collection.
        if case .array = value {
            try modifyElement(of: &value, arguments, body)
            return
        }
        if case .dictionary = value {
            try modifyEntry(of: &value, arguments, body)
            return
        }
        switch value {
        case .host(let object) where !object.type.subscripts.isEmpty:
            let subscripts = object.type.subscripts.filter { $0.set != nil }
            guard !subscripts.isEmpty else {
                throw Failure(
                    .immutable("\(object.type.name) subscripts are read-only"), at: site)
            }
            let chosen = try chooseOverload(subscripts.map(\.signature), for: arguments)
            let chosenSubscript = subscripts[chosen]
            let bound = try bind(&arguments, to: chosenSubscript.signature)
            let packed = Arguments(
                values: bound, session: self, signature: chosenSubscript.signature, location: site)
            do {
                var current = try chosenSubscript.get(value, packed)
                try body(&current)
                try chosenSubscript.set?(&value, packed, current)
            } catch {
                throw failure(from: error, at: site)
            }
        case .string:
            throw Failure(
                .immutable(
                    "characters of a string cannot be assigned by index; build a new string"),
                at: site)
        default:
            throw Failure(
                .typeMismatch("a value of type \(value.typeName) cannot be subscripted"), at: site)
        }
    }

    /// Changes `array[index]` or `array[range]` in place (see `modifyEntry`).
    private func modifyElement(
        of value: inout Value, _ arguments: CallArguments,
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        let site = arguments.site
        let index = try singleIndex(arguments, of: value)
        guard case .array(var elements) = value else { return }
        value = .void
        defer { value = .array(elements) }
        switch index {
        case .int(let position):
            let checked = try checkedIndex(position, count: elements.count, at: site)
            var element = elements[checked]
            elements[checked] = .void
            defer { elements[checked] = element }
            try body(&element)
        case .range(let range):
            let bounds = try resolve(range, count: elements.count, at: site)
            var slice = Value.array(Array(elements[bounds]))
            try body(&slice)
            guard case .array(let replacement) = slice else {
                throw Failure(
                    .typeMismatch(
                        "assigning to a range of an array needs an array, not "
                            + slice.typeName), at: site)
            }
            elements.replaceSubrange(bounds, with: replacement)
        default:
            throw Failure(indexTypeError(index, of: .array(elements)), at: site)
        }
    }

    /// Changes `dictionary[key]` in place: the dictionary is moved out of `value` (bound with
    /// `guard case`, so no second reference to its storage lives on), so an insertion does not
    /// copy every entry. A new key that doubles the table is checked against the memory
    /// budget before it is added (an error changes nothing); one left nil (`d[key] = nil`,
    /// a removal of nothing) adds nothing and is not checked.
    private func modifyEntry(
        of value: inout Value, _ arguments: CallArguments,
        _ body: (inout Value) throws(Failure) -> Void
    ) throws(Failure) {
        let (key, fallback) = try dictionaryKey(arguments)
        guard case .dictionary(var dictionary) = value else { return }
        let growth = dictionary.growthBytes(forNewKey: key)
        value = .void
        defer { value = .dictionary(dictionary) }
        guard let growth else {
            try dictionary.modifyEntry(forKey: key, fallback: fallback, body)
            return
        }
        let memory = self.memory
        let site = arguments.site
        try dictionary.modifyEntry(forKey: key, fallback: fallback) { entry throws(Failure) in
            try body(&entry)
            if !entry.isNil {
                try located(site) { () throws(CellError) in try memory.checkGrowth(growth) }
            }
        }
    }

    // MARK: - Indices

    private func singleIndex(_ arguments: CallArguments, of value: Value) throws(Failure) -> Value {
        guard arguments.values.count == 1, arguments.labels[0] == nil else {
            throw Failure(
                .badArguments(
                    "a \(value.typeName) subscript takes one index, as in a[i] or a[1..<3]"),
                at: arguments.site)
        }
        return arguments.values[0]
    }

    private func dictionaryKey(_ arguments: CallArguments) throws(Failure) -> (Value, Value?) {
        switch arguments.values.count {
        case 1 where arguments.labels[0] == nil:
            return (arguments.values[0], nil)
        case 2 where arguments.labels[0] == nil && arguments.labels[1] == "default":
            return (arguments.values[0], arguments.values[1])
        default:
            throw Failure(
                .badArguments(
                    "a dictionary subscript takes a key, as in d[key] or d[key, default: 0]"),
                at: arguments.site)
        }
    }

    func checkedIndex(_ position: Int, count: Int, at site: SourceLocation?) throws(Failure) -> Int
    {
        guard position >= 0, position < count else {
            throw Failure(
                .indexOutOfRange(
                    "index \(position) is out of range for a collection of \(count) element"
                        + (count == 1 ? "" : "s")
                        + (count > 0 ? " (valid indices are 0...\(count - 1))" : "")),
                at: site)
        }
        return position
    }

    /// The positions a range selects in a collection of `count` elements.
    package func resolve(_ range: RangeValue, count: Int, at site: SourceLocation?) throws(Failure)
        -> Range<Int>
    {
        var lower = 0
        var upper = count
        if let bound = range.lower {
            guard case .int(let value) = bound else {
                throw Failure(.typeMismatch("range bounds used as indices must be Int"), at: site)
            }
            lower = value
        }
        if let bound = range.upper {
            guard case .int(let value) = bound else {
                throw Failure(.typeMismatch("range bounds used as indices must be Int"), at: site)
            }
            if range.isClosed {
                guard value < Int.max else {
                    throw Failure(.indexOutOfRange("range end is out of bounds"), at: site)
                }
                upper = value + 1
            } else {
                upper = value
            }
        }
        guard range.step == nil, lower >= 0, lower <= upper, upper <= count else {
            throw Failure(
                .indexOutOfRange(
                    "range \(range.textDescription) is out of bounds for a collection of \(count) "
                        + "element\(count == 1 ? "" : "s")"), at: site)
        }
        return lower..<upper
    }

    private func indexTypeError(_ index: Value, of value: Value) -> CellError {
        .typeMismatch(
            "a \(value.typeName) cannot be indexed by a value of type \(index.typeName); use an "
                + "Int or a range of Int")
    }
}
