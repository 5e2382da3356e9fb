/// An expression the evaluator can read without calling a closure: a local slot, a global's
/// address, or a constant; anything else is a compiled closure. Operators, assignments and
/// calls read their operands through it, which saves a call per operand on the hottest paths
/// (the idea of superinstructions in threaded interpreters).
enum Operand {
    case local(Int)
    case global(UnsafeMutablePointer<Value?>, GlobalName)
    case constant(Value)
    case general(Evaluator)

    /// The operand's value.
    @inline(__always)
    func fetch(_ frame: Frame, _ session: Session) throws(Failure) -> Value {
        switch self {
        case .local(let slot):
            return frame[slot]
        case .global(let address, let global):
            if let value = address.pointee { return value }
            throw session.undefinedName(global.name, at: global.site)
        case .constant(let value):
            return value
        case .general(let evaluate):
            return try evaluate(frame)
        }
    }
}

extension Compiler {
    /// Compiles an expression as an operand, reading variables and literals directly.
    func compileOperand(_ expression: Expr) -> Operand {
        switch expression.kind {
        case .integer(let value): return .constant(.int(value))
        case .float(let value): return .constant(.double(value))
        case .bool(let value): return .constant(.bool(value))
        case .nilLiteral: return .constant(.nilValue)
        case .identifier, .dollar:
            return variableOperand(expression) ?? .general(compileExpression(expression))
        default:
            return .general(compileExpression(expression))
        }
    }

    private func variableOperand(_ expression: Expr) -> Operand? {
        var name: String
        switch expression.kind {
        case .identifier(let identifier): name = identifier
        case .dollar(let position): name = "$\(position)"
        default: return nil
        }
        if let local = context.resolveLocal(name) {
            if case .local(let slot) = local.ref { return .local(slot) }
            return nil
        }
        if name == "self" || context.implicitMember(name) { return nil }
        if case .global(let address, let globalName) = resolve(name).ref {
            return .global(address, GlobalName(name: globalName, site: location(expression.range)))
        }
        return nil
    }
}

/// The name and position of a global an operand reads, for the error when it is undefined.
final class GlobalName {
    let name: String
    let site: SourceLocation

    init(name: String, site: SourceLocation) {
        self.name = name
        self.site = site
    }
}
