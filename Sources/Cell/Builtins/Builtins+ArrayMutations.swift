/// Array members that change the array in place (they need a `var`).
extension Builtins {
    static func installArrayMutations(_ type: TypeBuilder<Value>) {
        type.mutatingMethod(
            "append", parameters: [.positional("element")], doc: "Adds an element at the end."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                try reserveForGrowth(&elements, by: 1, arguments.session)
                elements.append(arguments[0])
            }
        }
        type.mutatingMethod(
            "append", parameters: [.labelled("contentsOf")],
            doc: "Adds the elements of a sequence at the end."
        ) { value, arguments in
            let added = try arguments.session.elements(of: arguments[0])
            return try value.mutateArray(arguments.session) { elements in
                try reserveForGrowth(&elements, by: added.count, arguments.session)
                elements.append(contentsOf: added)
            }
        }
        type.mutatingMethod(
            "insert", parameters: [.positional("element"), .labelled("at", type: "Int")],
            doc: "Inserts an element before index `at` (0...count)."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                let index = try arguments.int(1)
                guard index >= 0, index <= elements.count else {
                    throw CellError.indexOutOfRange(
                        "insert position \(index) is out of range 0...\(elements.count)")
                }
                try reserveForGrowth(&elements, by: 1, arguments.session)
                elements.insert(arguments[0], at: index)
            }
        }
        type.mutatingMethod(
            "remove", parameters: [.labelled("at", type: "Int")], returns: "Element",
            doc: "Removes and returns the element at an index."
        ) { value, arguments in
            var removed = Value.void
            _ = try value.mutateArray(arguments.session) { elements in
                let index = try arguments.int(0)
                guard index >= 0, index < elements.count else {
                    throw CellError.indexOutOfRange(
                        "index \(index) is out of range for an array of \(elements.count) elements")
                }
                removed = elements.remove(at: index)
            }
            return removed
        }
        for (name, fromEnd) in [("removeLast", true), ("removeFirst", false)] {
            type.mutatingMethod(
                name, returns: "Element",
                doc: "Removes and returns the \(fromEnd ? "last" : "first") element."
            ) { value, arguments in
                var removed = Value.void
                _ = try value.mutateArray(arguments.session) { elements in
                    guard !elements.isEmpty else {
                        throw CellError.indexOutOfRange("\(name)() on an empty array")
                    }
                    removed = fromEnd ? elements.removeLast() : elements.removeFirst()
                }
                return removed
            }
        }
        type.mutatingMethod(
            "popLast", returns: "Element?", doc: "Removes and returns the last element, or nil."
        ) { value, arguments in
            var removed = Value.nilValue
            _ = try value.mutateArray(arguments.session) { elements in
                removed = elements.popLast() ?? .nilValue
            }
            return removed
        }
        type.mutatingMethod("removeAll", doc: "Removes every element.") { value, arguments in
            try value.mutateArray(arguments.session) { elements in elements.removeAll() }
        }
        type.mutatingMethod(
            "removeAll", parameters: [.labelled("where", type: "(Element) -> Bool")],
            doc: "Removes the elements satisfying the predicate."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                var kept: [Value] = []
                for element in elements where try !arguments.test(0, element) {
                    kept.append(element)
                }
                elements = kept
            }
        }
        type.mutatingMethod("sort", doc: "Sorts the elements in place (by `<`).") {
            value, arguments in
            try value.mutateArray(arguments.session) { elements in
                elements = try sortedElements(elements, arguments, comparator: nil)
            }
        }
        type.mutatingMethod(
            "sort", parameters: [.labelled("by", type: "(Element, Element) -> Bool")],
            doc: "Sorts the elements in place by a predicate."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                elements = try sortedElements(elements, arguments, comparator: 0)
            }
        }
        type.mutatingMethod("reverse", doc: "Reverses the elements in place.") { value, arguments in
            try value.mutateArray(arguments.session) { elements in elements.reverse() }
        }
        type.mutatingMethod(
            "shuffle", doc: "Shuffles the elements in place with the session's generator."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                var generator = arguments.session.random
                elements.shuffle(using: &generator)
            }
        }
        type.mutatingMethod(
            "swapAt", parameters: [.positional("i", type: "Int"), .positional("j", type: "Int")],
            doc: "Exchanges two elements."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                let i = try arguments.int(0)
                let j = try arguments.int(1)
                guard elements.indices.contains(i), elements.indices.contains(j) else {
                    throw CellError.indexOutOfRange(
                        "swapAt(\(i), \(j)) is out of range for \(elements.count) elements")
                }
                elements.swapAt(i, j)
            }
        }
    }

    /// Checks the memory budget when an array is about to grow its storage.
    static func reserveForGrowth(_ elements: inout [Value], by added: Int, _ session: Session)
        throws
    {
        let needed = elements.count + added
        if needed > elements.capacity {
            try session.memory.checkGrowth(
                count: max(needed, elements.count * 2), stride: MemoryLayout<Value>.stride)
        }
    }
}
