/// Array members that change the array in place (they need a `var`).
extension Builtins {
    static func installArrayMutations(_ type: TypeBuilder<Value>) {
        let element = Param<Value>.positional("element")
        type.mutatingMethod("append", parameters: [element], doc: "Adds an element at the end.") {
            value, arguments in
            let added = try arguments[element]
            return try value.mutateArray(arguments.session) { elements in
                try reserveForGrowth(&elements, by: 1, arguments.session)
                elements.append(added)
            }
        }
        let contents = Param<Value>.labelled("contentsOf")
        type.mutatingMethod(
            "append", parameters: [contents], doc: "Adds the elements of a sequence at the end."
        ) { value, arguments in
            let added = try arguments.session.elements(of: arguments[contents])
            return try value.mutateArray(arguments.session) { elements in
                try reserveForGrowth(&elements, by: added.count, arguments.session)
                elements.append(contentsOf: added)
            }
        }
        let position = Param<Int>.labelled("at")
        type.mutatingMethod(
            "insert", parameters: [element, position],
            doc: "Inserts an element before index `at` (0...count)."
        ) { value, arguments in
            try value.mutateArray(arguments.session) { elements in
                let index = try arguments[position]
                guard index >= 0, index <= elements.count else {
                    throw CellError.indexOutOfRange(
                        "insert position \(index) is out of range 0...\(elements.count)")
                }
                try reserveForGrowth(&elements, by: 1, arguments.session)
                elements.insert(try arguments[element], at: index)
            }
        }
        type.mutatingMethod(
            "remove", parameters: [position], returns: "Element",
            doc: "Removes and returns the element at an index."
        ) { value, arguments in
            var removed = Value.void
            _ = try value.mutateArray(arguments.session) { elements in
                let index = try arguments[position]
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
        let predicate = Param<Value>.labelled(
            "where", as: Value.argumentKind.described(type: "(Element) -> Bool"))
        type.mutatingMethod(
            "removeAll", parameters: [predicate],
            doc: "Removes the elements satisfying the predicate."
        ) { value, arguments in
            let test = try arguments[predicate]
            return try value.mutateArray(arguments.session) { elements in
                var kept: [Value] = []
                for element in elements where try !arguments.test(test, element) {
                    kept.append(element)
                }
                elements = kept
            }
        }
        type.mutatingMethod("sort", doc: "Sorts the elements in place (by `<`).") {
            value, arguments in
            try value.mutateArray(arguments.session) { elements in
                elements = try sortedElements(elements, arguments.session, comparator: nil)
            }
        }
        let ordering = Param<Value>.labelled(
            "by", as: Value.argumentKind.described(type: "(Element, Element) -> Bool"))
        type.mutatingMethod(
            "sort", parameters: [ordering], doc: "Sorts the elements in place by a predicate."
        ) { value, arguments in
            let comparator = try arguments[ordering]
            return try value.mutateArray(arguments.session) { elements in
                elements = try sortedElements(elements, arguments.session, comparator: comparator)
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
        let first = Param<Int>.positional("i")
        let second = Param<Int>.positional("j")
        type.mutatingMethod("swapAt", parameters: [first, second], doc: "Exchanges two elements.") {
            value, arguments in
            try value.mutateArray(arguments.session) { elements in
                let i = try arguments[first]
                let j = try arguments[second]
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
