/// The text being edited and where the cursor is.
struct EditState {
    var buffer: [Character]
    var cursor: Int
    var historyIndex: Int
    var draft: [Character] = []

    init(buffer: [Character], historyIndex: Int) {
        self.buffer = buffer
        self.cursor = buffer.count
        self.historyIndex = historyIndex
    }

    mutating func apply(_ key: Key, history: [String]) {
        switch key {
        case .character(let character):
            buffer.insert(character, at: cursor)
            cursor += 1
        case .backspace where cursor > 0:
            buffer.remove(at: cursor - 1)
            cursor -= 1
        case .delete where cursor < buffer.count, .controlD where cursor < buffer.count:
            buffer.remove(at: cursor)
        case .left where cursor > 0: cursor -= 1
        case .right where cursor < buffer.count: cursor += 1
        case .home: cursor = 0
        case .end: cursor = buffer.count
        case .killToStart:
            buffer.removeFirst(cursor)
            cursor = 0
        case .killToEnd: buffer.removeLast(buffer.count - cursor)
        case .up where historyIndex > 0:
            if historyIndex == history.count { draft = buffer }
            historyIndex -= 1
            buffer = Array(history[historyIndex])
            cursor = buffer.count
        case .down where historyIndex < history.count:
            historyIndex += 1
            buffer = historyIndex == history.count ? draft : Array(history[historyIndex])
            cursor = buffer.count
        default:
            break
        }
    }
}
