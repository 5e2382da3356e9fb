import Synchronization

/// A struct declared in a cell: its stored properties, methods, computed properties and
/// conformances. Extensions in later cells add methods and computed properties.
public final class StructType {
    /// The struct's name.
    public let name: String
    /// A number no other struct type of the process has, for caches that recognise a type
    /// without keeping it alive (a method's field cache would otherwise hold its own type in
    /// a cycle, and every struct declaration would be kept forever).
    let identity = StructType.identities.add(1, ordering: .relaxed).newValue
    private static let identities = Atomic<Int>(0)
    var storedProperties: [StoredProperty] = []
    var propertyIndex: [String: Int] = [:]
    var methods: [String: [CellFunction]] = [:]
    var computedProperties: [String: ComputedProperty] = [:]
    var staticValues: [String: Value] = [:]
    /// The names of the `static var`s among `staticValues`, which assignments may change.
    var staticVariables: Set<String> = []
    var initializers: [CellFunction] = []
    var conformances: Set<String> = []
    var documentation: String?

    init(name: String) {
        self.name = name
    }

    /// Every member name, for completion and suggestions.
    var memberNames: [String] {
        storedProperties.map(\.name) + Array(methods.keys) + Array(computedProperties.keys)
    }

    /// The memberwise initializer's signature: every `var`, and every `let` without a default.
    var memberwiseSignature: Signature {
        let parameters = storedProperties.filter { !($0.isLet && $0.defaultValue != nil) }.map {
            property in
            var parameter = Parameter(
                label: property.name, name: property.name, type: property.spec?.description)
            if property.defaultValue != nil { parameter.defaultDescription = "default" }
            return parameter
        }
        return Signature(
            name: name, parameters: parameters, returns: name, doc: documentation ?? "")
    }
}

/// One stored property of a user struct.
struct StoredProperty {
    var name: String
    var isLet: Bool
    var spec: TypeSpec?
    /// Called (with no arguments) each time an instance needs the default.
    var defaultValue: CellFunction?
}

/// A computed property of a user struct: a getter method and an optional setter method.
struct ComputedProperty {
    var getter: CellFunction
    var setter: CellFunction?
}

/// An instance of a user struct. Instances are values: the evaluator copies the storage before
/// changing an instance that is shared (copy on write). Fields live behind a pointer, read and
/// written without exclusivity checks (indices come from the struct's property table).
public final class StructInstance {
    /// The struct the instance belongs to.
    public let type: StructType
    /// The number of fields.
    let count: Int
    private let storage: UnsafeMutablePointer<Value>

    init(type: StructType, fields: [Value]) {
        self.type = type
        count = fields.count
        storage = .allocate(capacity: max(1, fields.count))
        _ = UnsafeMutableBufferPointer(start: storage, count: fields.count).initialize(from: fields)
    }

    deinit {
        // Field by field through ValueTeardown: a chain of instances nested a million deep
        // must not be released by recursion.
        for index in 0..<count {
            var field = (storage + index).move()
            ValueTeardown.release(&field)
        }
        storage.deallocate()
    }

    /// The field at `index`.
    @inline(__always)
    subscript(index: Int) -> Value {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Moves the field at `index` out, leaving `()`.
    @inline(__always)
    func take(_ index: Int) -> Value {
        let value = (storage + index).move()
        (storage + index).initialize(to: .void)
        return value
    }

    /// The fields, in declaration order.
    var fields: [Value] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    func copy() -> StructInstance { StructInstance(type: type, fields: fields) }
}

/// An object of a registered library type. For value types the evaluator copies the box
/// before changing a shared one; the payload's own copy-on-write does the rest.
public final class HostObject {
    /// The registered type.
    public let type: TypeInfo
    /// The Swift object or value.
    public internal(set) var payload: Any

    package init(type: TypeInfo, payload: Any) {
        self.type = type
        self.payload = payload
    }

    func isSameReference(as other: HostObject) -> Bool {
        guard type.kind == .reference, other.type.kind == .reference else { return false }
        return (payload as AnyObject) === (other.payload as AnyObject)
    }

    var identityForHashing: ObjectIdentifier {
        type.kind == .reference ? ObjectIdentifier(payload as AnyObject) : ObjectIdentifier(self)
    }
}

/// A type used as a value: `Int`, `Sequential`, a user struct, a library protocol.
public enum TypeValue: Equatable {
    /// A registered type (builtin or library).
    case registered(TypeInfo)
    /// A user struct.
    case structure(StructType)
    /// A library protocol.
    case protocolType(ProtocolInfo)

    /// The type's name.
    public var name: String {
        switch self {
        case .registered(let info): return info.name
        case .structure(let type): return type.name
        case .protocolType(let info): return info.name
        }
    }

    /// Types are equal when they are the same type (by identity).
    public static func == (lhs: TypeValue, rhs: TypeValue) -> Bool {
        switch (lhs, rhs) {
        case (.registered(let a), .registered(let b)): return a === b
        case (.structure(let a), .structure(let b)): return a === b
        case (.protocolType(let a), .protocolType(let b)): return a === b
        default: return false
        }
    }
}
