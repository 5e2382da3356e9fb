/// What the compiler knows about the function it is compiling: its scopes and slots, the
/// variables it captures from enclosing functions, and the loops a `break` may leave.
final class FunctionContext {
    /// The kinds of function, which decide where declarations go and what `self` means.
    enum Kind {
        /// The top level of a cell: its top-level declarations are globals.
        case cell
        case function
        case closure
        /// A method, initializer, computed property accessor or property default of a struct
        /// (or of an extended type).
        case method(typeName: String, isMutating: Bool)
    }

    /// A variable visible in a scope.
    struct Local {
        let ref: VariableRef
        let isLet: Bool
        /// The type assignments to it keep, if it was declared with one.
        var type: DeclaredType? = nil
    }

    /// A loop or switch that `break`/`continue` can target.
    struct Target {
        let identifier: Int
        let label: String?
        let isLoop: Bool
    }

    let parent: FunctionContext?
    let kind: Kind
    /// The name shown in tracebacks for code in this function.
    let name: String
    /// Names used inside nested closures and functions: locals with these names live in boxes.
    let capturedNames: Set<String>
    /// Member names of the struct whose method this is (for implicit `self`).
    let memberNames: Set<String>
    var scopes: [[String: Local]] = [[:]]
    var slotCount = 0
    var boxCount = 0
    /// The variables this function captures; shared by the local functions of one block.
    let captureList: CaptureList
    var targets: [Target] = []
    /// For a local `func`, its name and those of the local functions declared beside it, with
    /// their code-to-be: inside the body such a name means that function, made from its code
    /// and the running frame's captures (`VariableRef.ownFunction`), not a captured variable.
    let localFunctions: [String: FunctionCodeReference]

    /// Variables this function captures, with where they live in the enclosing function.
    var captures: [(name: String, source: VariableRef)] { captureList.entries }

    init(
        parent: FunctionContext?, kind: Kind, name: String, capturedNames: Set<String>,
        memberNames: Set<String> = [], localFunctions: [String: FunctionCodeReference] = [:],
        captureList: CaptureList = CaptureList()
    ) {
        self.localFunctions = localFunctions
        self.captureList = captureList
        self.parent = parent
        self.kind = kind
        self.name = name
        self.capturedNames = capturedNames
        self.memberNames = memberNames
    }

    var isCell: Bool {
        if case .cell = kind { return true }
        return false
    }

    /// True at the top level of a cell, where declarations become globals.
    var declaresGlobals: Bool { isCell && scopes.count == 1 }

    /// Declares a local in the innermost scope; boxed when nested functions use its name.
    func declareLocal(_ name: String, isLet: Bool, type: DeclaredType? = nil) -> VariableRef {
        let ref: VariableRef
        if capturedNames.contains(name) {
            ref = .boxed(boxCount)
            boxCount += 1
        } else {
            ref = .local(slotCount)
            slotCount += 1
        }
        scopes[scopes.count - 1][name] = Local(ref: ref, isLet: isLet, type: type)
        return ref
    }

    /// A fresh slot that no name refers to (loop counters, temporaries).
    func hiddenSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }

    /// Resolves a name among the locals of this function and the enclosing ones, capturing it
    /// when it belongs to an enclosing function. Nil when it is not a local anywhere.
    func resolveLocal(_ name: String) -> Local? {
        for scope in scopes.reversed() {
            if let local = scope[name] { return local }
        }
        if let index = captureList.index[name] {
            let outer = captureList.locals[index]
            return Local(ref: .capture(index), isLet: outer.isLet, type: outer.type)
        }
        if let reference = localFunctions[name] {
            return Local(ref: .ownFunction(reference), isLet: true)
        }
        guard let parent, let outer = parent.resolveLocal(name) else { return nil }
        switch outer.ref {
        case .boxed, .capture, .ownFunction:
            let index = captureList.entries.count
            captureList.entries.append((name, outer.ref))
            captureList.index[name] = index
            captureList.locals.append(outer)
            return Local(ref: .capture(index), isLet: outer.isLet, type: outer.type)
        case .local, .global:
            return nil
        }
    }

    /// The struct member that an unqualified name refers to, if this is (inside) a method.
    func implicitMember(_ name: String) -> Bool {
        if resolveLocalWithoutCapture(name) { return false }
        var context: FunctionContext? = self
        while let current = context {
            if current.memberNames.contains(name) { return true }
            context = current.parent
        }
        return false
    }

    private func resolveLocalWithoutCapture(_ name: String) -> Bool {
        var context: FunctionContext? = self
        while let current = context {
            if current.scopes.contains(where: { $0[name] != nil }) { return true }
            if current.captureList.index[name] != nil { return true }
            context = current.parent
        }
        return false
    }

    func pushScope() { scopes.append([:]) }
    func popScope() { scopes.removeLast() }
}

/// The variables a function captures from the enclosing one. The local functions declared in
/// one block share one list, so each can make the others from its own captures (see
/// `LocalFunctionGroup`).
final class CaptureList {
    /// Each captured name, with where it lives in the enclosing function.
    var entries: [(name: String, source: VariableRef)] = []
    /// The position in `entries` of each name.
    var index: [String: Int] = [:]
    /// The enclosing function's variable each entry captures, by position.
    var locals: [FunctionContext.Local] = []
}
