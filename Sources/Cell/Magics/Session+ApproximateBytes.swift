extension Session {
    /// A rough count of the bytes a value holds, for `%whos`, found in bounded time.
    ///
    /// Arrays share their storage until one is changed, so `a = Array(repeating: a, count: 20)`
    /// eight times holds 160 slots while it describes 20⁸ elements; each storage is therefore
    /// counted once, by address, which is both the memory actually held and a walk no longer
    /// than the value's real size. Past `budget` visited elements the rest of each array is
    /// counted as one slot per element without looking inside, so even a value of millions of
    /// distinct nested arrays is counted in a fraction of a second (the soak found `%whos`
    /// walking a shared nested array for hours, deaf to the stop button).
    func approximateBytes(of value: Value, budget: Int = 100_000) -> Int {
        let slot = MemoryLayout<Value>.stride
        var total = 0
        var remaining = budget
        var seenStorage: Set<UnsafeRawPointer> = []
        var pending: [Value] = [value]
        /// Queues the elements of one storage not seen before, within the budget.
        func visit(_ elements: [Value]) {
            guard !elements.isEmpty else { return }
            let storage = elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            if let storage, !seenStorage.insert(storage).inserted { return }
            let visited = min(elements.count, remaining)
            remaining -= visited
            pending.append(contentsOf: elements.prefix(visited))
            total += (elements.count - visited) * slot
        }
        while let next = pending.popLast() {
            total += slot
            switch next {
            case .string(let text): total += text.utf8.count
            case .array(let elements): visit(elements)
            case .dictionary(let dictionary): total += dictionary.count * 3 * slot
            case .tuple(let tuple): visit(tuple.elements)
            case .structure(let instance): visit(instance.fields)
            case .host(let object): total += object.type.countBytes?(next) ?? 0
            default: break
            }
        }
        return total
    }
}
