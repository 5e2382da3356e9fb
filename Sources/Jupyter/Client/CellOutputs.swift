import KernelInterface

/// Turns the IOPub messages of executed cells into nbformat outputs, as nbclient does:
/// consecutive stream text of one stream is merged, `clear_output` (with or without `wait`)
/// empties the cell, and `update_display_data` rewrites every output shown with that display
/// id, in any cell of the notebook.
struct CellOutputs {
    /// Where each display id was shown: (cell index, output index).
    private var displays: [String: [(cell: Int, output: Int)]] = [:]
    /// A `clear_output(wait: true)` not yet applied, by cell.
    private var pendingClear: Set<Int> = []

    /// Applies `message` (an IOPub message of the request that ran cell `index`) to `cells`.
    ///
    /// - Returns: the nbformat output added, if the message added one.
    @discardableResult
    mutating func apply(_ message: Message, toCell index: Int, of cells: inout [NotebookCell])
        -> JSONValue?
    {
        guard let type = message.type, cells.indices.contains(index) else { return nil }
        switch type {
        case .clearOutput:
            if (try? message.decode(ClearOutputContent.self))?.wait == true {
                pendingClear.insert(index)
            } else {
                clear(index, &cells)
            }
            return nil
        case .updateDisplayData:
            guard let content = try? message.decode(DisplayContent.self), let id = content.displayId
            else { return nil }
            for place in displays[id] ?? [] where cells.indices.contains(place.cell) {
                guard cells[place.cell].outputs.indices.contains(place.output) else { continue }
                cells[place.cell].outputs[place.output] = output(.displayData, content)
            }
            return nil
        case .stream, .displayData, .executeResult, .error:
            if pendingClear.remove(index) != nil { clear(index, &cells) }
            return append(message, type, toCell: index, &cells)
        default:
            return nil
        }
    }

    private mutating func append(
        _ message: Message, _ type: MessageType, toCell index: Int, _ cells: inout [NotebookCell]
    )
        -> JSONValue?
    {
        switch type {
        case .stream:
            guard let stream = try? message.decode(StreamContent.self) else { return nil }
            let name = JSONValue.string(stream.name.rawValue)
            if let last = cells[index].outputs.last, last["output_type"] == "stream",
                last["name"] == name,
                let text = last["text"]?.stringValue
            {
                cells[index].outputs[cells[index].outputs.count - 1] = [
                    "output_type": "stream", "name": name, "text": .string(text + stream.text),
                ]
            } else {
                cells[index].outputs.append([
                    "output_type": "stream", "name": name, "text": .string(stream.text),
                ])
            }
            return cells[index].outputs.last
        case .displayData, .executeResult:
            guard let content = try? message.decode(DisplayContent.self) else { return nil }
            let new = output(type, content)
            cells[index].outputs.append(new)
            if let id = content.displayId {
                displays[id, default: []].append((index, cells[index].outputs.count - 1))
            }
            return new
        case .error:
            guard let error = try? message.decode(ErrorContent.self).error else { return nil }
            let new: JSONValue = [
                "output_type": "error", "ename": .string(error.name),
                "evalue": .string(error.value),
                "traceback": .array(error.traceback.map { .string($0) }),
            ]
            cells[index].outputs.append(new)
            return new
        default:
            return nil
        }
    }

    private func output(_ type: MessageType, _ content: DisplayContent) -> JSONValue {
        var fields: [String: JSONValue] = [
            "output_type": .string(type == .executeResult ? "execute_result" : "display_data"),
            "data": .object(content.bundle.data), "metadata": .object(content.bundle.metadata),
        ]
        if type == .executeResult {
            fields["execution_count"] = content.executionCount.map { .int($0) } ?? .null
        }
        return .object(fields)
    }

    private mutating func clear(_ index: Int, _ cells: inout [NotebookCell]) {
        cells[index].outputs = []
        for (id, places) in displays { displays[id] = places.filter { $0.cell != index } }
    }
}
