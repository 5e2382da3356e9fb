/// The session's global names: user variables, functions and types, and the builtins.
///
/// Each global lives at a fixed address for the life of the session, so compiled code reads
/// and writes it through a pointer resolved once at compile time. An address holding nil is a
/// name that is not (or no longer) defined: compiled code that reads it reports the name as
/// undefined, and a later cell that defines it makes earlier functions see it.
final class GlobalTable {
    /// One global name.
    struct Entry {
        let address: UnsafeMutablePointer<Value?>
        var isLet: Bool
        /// Installed from the registry rather than defined by the user.
        var isBuiltin: Bool
        /// The type assignments to it keep, if its declaration gave one.
        var type: DeclaredType? = nil
    }

    private(set) var entries: [String: Entry] = [:]
    /// Names in the order they were first defined, for `%who`.
    private(set) var order: [String] = []
    private var chunks: [UnsafeMutablePointer<Value?>]
    private var current: UnsafeMutablePointer<Value?>
    private var used = 0
    private static let chunkSize = 256

    init() {
        current = UnsafeMutablePointer<Value?>.allocate(capacity: GlobalTable.chunkSize)
        chunks = [current]
    }

    deinit {
        for (index, chunk) in chunks.enumerated() {
            let count = index == chunks.count - 1 ? used : GlobalTable.chunkSize
            for offset in 0..<count {
                var value = (chunk + offset).move() ?? .void
                ValueTeardown.release(&value)
            }
            chunk.deallocate()
        }
    }

    /// The entry for `name`, creating an undefined one if there is none.
    func entry(for name: String) -> Entry {
        if let entry = entries[name] { return entry }
        let entry = Entry(address: allocate(), isLet: false, isBuiltin: false)
        entries[name] = entry
        order.append(name)
        return entry
    }

    /// The value of `name`, if it is defined.
    func value(of name: String) -> Value? {
        entries[name]?.address.pointee
    }

    /// Defines (or redefines) `name`.
    func define(_ name: String, _ value: Value, isLet: Bool, isBuiltin: Bool = false) {
        var entry = entry(for: name)
        var old = entry.address.pointee ?? .void
        entry.address.pointee = value
        ValueTeardown.release(&old)
        entry.isLet = isLet
        entry.isBuiltin = isBuiltin
        entries[name] = entry
    }

    /// Marks `name` as a `let` or `var` from now on (a declaration compiled in this cell),
    /// with the type its declaration gave it, if any.
    func setMutability(of name: String, isLet: Bool, type: DeclaredType? = nil) {
        var entry = entry(for: name)
        entry.isLet = isLet
        entry.type = type
        entry.isBuiltin = false
        entries[name] = entry
    }

    /// The defined names that the user made (not builtins), in definition order.
    var userNames: [String] {
        order.filter { name in
            guard let entry = entries[name] else { return false }
            return !entry.isBuiltin && entry.address.pointee != nil
        }
    }

    /// Every defined name, builtins included.
    var definedNames: [String] {
        order.filter { entries[$0]?.address.pointee != nil }
    }

    /// Undefines every name (the addresses stay valid for code compiled earlier).
    func removeAll() {
        for (name, entry) in entries {
            var old = entry.address.pointee ?? .void
            entry.address.pointee = nil
            ValueTeardown.release(&old)
            entries[name]?.isBuiltin = false
            entries[name]?.type = nil
        }
    }

    private func allocate() -> UnsafeMutablePointer<Value?> {
        if used == GlobalTable.chunkSize {
            current = UnsafeMutablePointer<Value?>.allocate(capacity: GlobalTable.chunkSize)
            chunks.append(current)
            used = 0
        }
        let address = current + used
        address.initialize(to: nil)
        used += 1
        return address
    }
}
