/// `let`/`var` declarations, structs and extensions.
extension Compiler {
    // MARK: - let and var

    func compileBinding(_ declaration: BindingDecl, range: SourceRange) -> Executor {
        var steps: [ActionBox] = []
        for entry in declaration.entries {
            if entry.accessors != nil {
                problem(
                    .invalidValue("computed properties can only be declared inside a struct"),
                    at: entry.pattern.range)
                continue
            }
            let spec = entry.type.map(TypeSpec.init)
            let evaluate: Evaluator
            if let value = entry.value {
                evaluate = compileExpression(value)
            } else {
                evaluate = { frame throws(Failure) in .nilValue }
            }
            let bind = compileBindingPattern(
                entry.pattern, isLet: !declaration.isVar,
                type: DeclaredType(annotation: entry.type, value: entry.value))
            let session = self.session
            let site = location(entry.value?.range ?? entry.pattern.range)
            if let spec, spec != .any, entry.value != nil {
                let step: (Frame) throws(Failure) -> Void = { frame throws(Failure) in
                    let value = try session.conform(try evaluate(frame), to: spec, at: site) {
                        value in
                        "cannot assign a value of type \(value.typeName) to a constant or variable "
                            + "of type \(spec.description)"
                    }
                    try bind(frame, value)
                }
                steps.append(ActionBox(call: step))
            } else {
                let step: (Frame) throws(Failure) -> Void = { frame throws(Failure) in
                    try bind(frame, try evaluate(frame))
                }
                steps.append(ActionBox(call: step))
            }
        }
        if steps.count == 1 {
            let step = steps[0].call
            return { frame throws(Failure) in
                try step(frame)
                return .normal
            }
        }
        return { frame throws(Failure) in
            for step in steps { try step.call(frame) }
            return .normal
        }
    }

    // MARK: - struct

    func compileStruct(_ declaration: StructDecl, range: SourceRange) -> Executor {
        guard context.declaresGlobals else {
            problem(
                .invalidValue("structs can only be declared at the top level of a cell"),
                at: declaration.nameRange)
            return { frame throws(Failure) in .normal }
        }
        let type = StructType(name: declaration.name)
        type.documentation = Parser(file: file).documentationComment(before: range.start)
        type.conformances = Set(declaration.conformances)
        session.globals.setMutability(of: declaration.name, isLet: true)
        let address = session.globals.entry(for: declaration.name).address
        var memberNames = Set<String>()
        for member in declaration.members {
            switch member.kind {
            case .binding(let binding) where !binding.isStatic:
                for entry in binding.entries {
                    if case .name(let name) = entry.pattern.kind { memberNames.insert(name) }
                }
            case .function(let function) where !function.isStatic && !function.isInitializer:
                memberNames.insert(function.name)
            default:
                break
            }
        }
        declaredStructMembers[declaration.name] = memberNames
        var staticSteps: [(Frame) throws(Failure) -> Void] = []
        for member in declaration.members {
            compileMember(member, of: type, memberNames: memberNames, staticSteps: &staticSteps)
        }
        let session = self.session
        let site = location(declaration.nameRange)
        return { frame throws(Failure) in
            try session.checkConformances(of: type, at: site)
            address.pointee = .type(.structure(type))
            session.methodGeneration += 1
            for step in staticSteps { try step(frame) }
            return .normal
        }
    }

    /// Adds one member declaration to a struct type (or, with `isExtension`, reports stored
    /// properties as errors).
    private func compileMember(
        _ member: Stmt, of type: StructType, memberNames: Set<String>,
        staticSteps: inout [(Frame) throws(Failure) -> Void], isExtension: Bool = false
    ) {
        switch member.kind {
        case .binding(let binding):
            for entry in binding.entries {
                guard case .name(let name) = entry.pattern.kind else {
                    problem(.invalidValue("a property needs a plain name"), at: entry.pattern.range)
                    continue
                }
                if binding.isStatic {
                    if binding.isVar { type.staticVariables.insert(name) }
                    var evaluate: Evaluator = { frame throws(Failure) in .nilValue }
                    if let value = entry.value { evaluate = compileExpression(value) }
                    let step: (Frame) throws(Failure) -> Void = { frame throws(Failure) in
                        type.staticValues[name] = try evaluate(frame)
                    }
                    staticSteps.append(step)
                } else if let accessors = entry.accessors {
                    type.computedProperties[name] = compileComputed(
                        name, accessors, typeName: type.name, memberNames: memberNames)
                } else if isExtension {
                    problem(
                        .invalidValue("extensions cannot add stored properties"),
                        at: entry.pattern.range)
                } else {
                    addStoredProperty(name, entry, isLet: !binding.isVar, to: type)
                }
            }
        case .function(let function):
            if function.isStatic {
                let (code, captures) = compileFunctionCode(
                    name: "\(type.name).\(function.name)", kind: .function,
                    parameters: function.parameters.map(parameterSource), body: function.body,
                    returnType: function.returnType, signatureText: function.signatureText,
                    documentation: function.documentation)
                let make = functionMaker(code, captures)
                let step: (Frame) throws(Failure) -> Void = { frame throws(Failure) in
                    type.staticValues[function.name] = .function(make(frame))
                }
                staticSteps.append(step)
                return
            }
            let method = compileMethod(function, typeName: type.name, memberNames: memberNames)
            if function.isInitializer {
                type.initializers.append(method)
            } else {
                type.methods[function.name, default: []].append(method)
            }
        default:
            problem(
                .invalidValue(
                    "only properties, methods and initializers can be declared in a struct"),
                at: member.range)
        }
    }

    private func addStoredProperty(
        _ name: String, _ entry: BindingEntry, isLet: Bool, to type: StructType
    ) {
        var property = StoredProperty(
            name: name, isLet: isLet,
            spec: entry.type.map(TypeSpec.init).flatMap { $0 == .any ? nil : $0 }
                ?? entry.value.flatMap(Compiler.literalType))
        if let value = entry.value {
            let (code, captures) = compileFunctionCode(
                name: "\(type.name).\(name)", kind: .function, parameters: [],
                body: [Stmt(.returnStatement(value), value.range)], returnType: entry.type,
                signatureText: name)
            property.defaultValue = CellFunction(
                code: code, captures: captures.map { _ in Box(.void) })
        }
        type.propertyIndex[name] = type.storedProperties.count
        type.storedProperties.append(property)
    }

    /// The type a literal default gives a property, as Swift infers it (`var x = 0.0` is a
    /// Double, so `Point(x: 3)` stores 3.0).
    static func literalType(_ expression: Expr) -> TypeSpec? {
        switch expression.kind {
        case .float: return .named("Double")
        case .integer: return .named("Int")
        case .string: return .named("String")
        case .bool: return .named("Bool")
        default: return nil
        }
    }

    func compileMethod(_ function: FunctionDecl, typeName: String, memberNames: Set<String>)
        -> CellFunction
    {
        let name = function.isInitializer ? "\(typeName).init" : "\(typeName).\(function.name)"
        let (code, captures) = compileFunctionCode(
            name: name,
            kind: .method(
                typeName: typeName, isMutating: function.isMutating || function.isInitializer),
            parameters: function.parameters.map(parameterSource), body: function.body,
            returnType: function.isInitializer ? nil : function.returnType,
            memberNames: memberNames,
            signatureText: function.signatureText, documentation: function.documentation)
        return CellFunction(code: code, captures: captures.map { _ in Box(.void) })
    }

    private func compileComputed(
        _ name: String, _ accessors: Accessors, typeName: String, memberNames: Set<String>
    ) -> ComputedProperty {
        let getter = FunctionDecl(
            name: name, nameRange: SourceRange(0, 0), parameters: [], returnType: nil,
            body: accessors.getter, signatureText: "var \(name)", documentation: nil)
        var property = ComputedProperty(
            getter: compileMethod(getter, typeName: typeName, memberNames: memberNames), setter: nil
        )
        if let setterBody = accessors.setter {
            var setter = FunctionDecl(
                name: name, nameRange: SourceRange(0, 0),
                parameters: [
                    ParameterDecl(
                        label: nil, name: accessors.setterParameter, type: nil, defaultValue: nil,
                        range: SourceRange(0, 0))
                ],
                returnType: nil, body: setterBody, signatureText: "set \(name)", documentation: nil)
            setter.isMutating = true
            property.setter = compileMethod(setter, typeName: typeName, memberNames: memberNames)
        }
        return property
    }

    // MARK: - extension

    func compileExtension(_ declaration: ExtensionDecl, range: SourceRange) -> Executor {
        guard context.declaresGlobals else {
            problem(
                .invalidValue("extensions can only be declared at the top level of a cell"),
                at: declaration.nameRange)
            return { frame throws(Failure) in .normal }
        }
        let typeName = declaration.typeName
        var memberNames = Set<String>()
        let target = session.globals.value(of: typeName)
        if let declared = declaredStructMembers[typeName] {
            memberNames.formUnion(declared)
        } else if case .type(.structure(let existing))? = target {
            memberNames.formUnion(existing.memberNames)
        } else if let info = session.registry.types[typeName] {
            memberNames.formUnion(info.memberNames)
        }
        memberNames.formUnion(session.extensionMethods[typeName].map { Array($0.keys) } ?? [])
        for member in declaration.members {
            if case .function(let function) = member.kind { memberNames.insert(function.name) }
            if case .binding(let binding) = member.kind {
                for entry in binding.entries {
                    if case .name(let name) = entry.pattern.kind { memberNames.insert(name) }
                }
            }
        }
        // Members are collected into a scratch type, then merged when the extension runs.
        let scratch = StructType(name: typeName)
        var staticSteps: [(Frame) throws(Failure) -> Void] = []
        for member in declaration.members {
            compileMember(
                member, of: scratch, memberNames: memberNames, staticSteps: &staticSteps,
                isExtension: true)
        }
        let session = self.session
        let site = location(declaration.nameRange)
        let conformances = declaration.conformances
        return { frame throws(Failure) in
            try session.applyExtension(scratch, conformances: conformances, at: site)
            for step in staticSteps { try step(frame) }
            return .normal
        }
    }
}

extension Session {
    /// Adds an extension's members to a user struct or, by name, to a builtin or library type.
    func applyExtension(_ scratch: StructType, conformances: [String], at site: SourceLocation)
        throws(Failure)
    {
        let name = scratch.name
        methodGeneration += 1
        if case .type(.structure(let type))? = globals.value(of: name) {
            for (method, overloads) in scratch.methods { type.methods[method] = overloads }
            for (property, computed) in scratch.computedProperties {
                type.computedProperties[property] = computed
            }
            for (staticName, value) in scratch.staticValues {
                type.staticValues[staticName] = value
            }
            type.staticVariables.formUnion(scratch.staticVariables)
            type.conformances.formUnion(conformances)
            try checkConformances(of: type, at: site)
            return
        }
        guard
            registry.types[name] != nil
                || [
                    "Int", "Double", "String", "Bool", "Array",
                    "Dictionary",
                ].contains(name)
        else {
            throw Failure(
                .undefinedName(
                    name, suggestion: Suggestion.closest(to: name, in: registry.types.keys)),
                at: site)
        }
        for (method, overloads) in scratch.methods {
            extensionMethods[name, default: [:]][method] = overloads
        }
        for (property, computed) in scratch.computedProperties {
            extensionProperties[name, default: [:]][property] = computed
        }
    }

    /// Checks that a struct has what the library protocols it names require.
    func checkConformances(of type: StructType, at site: SourceLocation) throws(Failure) {
        let swiftProtocols: Set = [
            "Equatable", "Hashable", "CustomStringConvertible", "Comparable", "Codable",
            "Sendable", "Identifiable", "CustomDebugStringConvertible",
        ]
        for name in type.conformances.sorted() where !swiftProtocols.contains(name) {
            guard let info = registry.protocols[name] else {
                throw Failure(
                    .undefinedName(
                        name,
                        suggestion: Suggestion.closest(
                            to: name, in: Array(registry.protocols.keys) + swiftProtocols)),
                    at: site)
            }
            let selectors = Set(
                type.methods.values.flatMap { $0 }.map(\.code.signature.selector.methodSelectorTail)
                    + type.computedProperties.keys)
            for requirement in info.requirements {
                let wanted = requirement.methodSelectorTail
                if !selectors.contains(wanted) {
                    throw Failure(
                        .typeMismatch(
                            "\(type.name) does not conform to \(name): it needs "
                                + "'\(requirement)'"), at: site)
                }
            }
        }
    }
}

extension String {
    /// `callAsFunction(_:)` from `Residual.callAsFunction(_:)`.
    fileprivate var methodSelectorTail: String {
        guard let dot = lastIndex(of: "."), let paren = firstIndex(of: "("), dot < paren else {
            return self
        }
        return String(self[index(after: dot)...])
    }
}
