/// `let`/`var`, `func`, `struct` and `extension` declarations.
extension Parser {
    // MARK: - let and var

    mutating func parseBindingDecl(isStatic: Bool) -> BindingDecl {
        let isVar = advance().kind == .keyword(.var)
        var entries: [BindingEntry] = []
        repeat {
            let pattern = parseBindingPattern()
            var type: TypeSyntax?
            if consume(.colon) { type = parseType() }
            var entry = BindingEntry(pattern: pattern, type: type, value: nil)
            if consumeOperator("=") {
                entry.value = parseExpression()
            } else if check(.leftBrace), !current.newlineBefore {
                entry.accessors = parseAccessors()
            }
            entries.append(entry)
        } while consume(.comma)
        return BindingDecl(isVar: isVar, isStatic: isStatic, entries: entries)
    }

    /// `{ expression }`, `{ get { … } set { … } }` or `{ get { … } set(value) { … } }`.
    private mutating func parseAccessors() -> Accessors {
        let isAccessorList: Bool = {
            if case .identifier(let word) = token(after: 1).kind, word == "get" || word == "set" {
                return token(after: 2).kind == .punctuation(.leftBrace)
                    || token(after: 2).kind == .punctuation(.leftParen)
            }
            return false
        }()
        guard isAccessorList else {
            return Accessors(
                getter: parseBlock(after: "the property type"), setterParameter: "newValue",
                setter: nil)
        }
        advance()
        var accessors = Accessors(getter: [], setterParameter: "newValue", setter: nil)
        while case .identifier(let word) = current.kind, word == "get" || word == "set" {
            advance()
            if word == "get" {
                accessors.getter = parseBlock(after: "'get'")
            } else {
                if consume(.leftParen) {
                    if case .identifier(let name) = current.kind {
                        accessors.setterParameter = name
                        advance()
                    }
                    expect(.rightParen, "expected ')' after the setter's parameter name")
                }
                accessors.setter = parseBlock(after: "'set'")
            }
        }
        if !consume(.rightBrace) {
            error(
                "expected '}' to close the property's accessors", at: current.range,
                atEndOfInput: atEnd)
        }
        return accessors
    }

    // MARK: - func

    mutating func parseFunction(isMutating: Bool, isStatic: Bool) -> FunctionDecl {
        advance()
        return parseFunctionRest(isMutating: isMutating, isStatic: isStatic, init: false)
    }

    /// Parses a function after `func` (or after `init`, which has no name).
    mutating func parseFunctionRest(isMutating: Bool, isStatic: Bool, init isInitializer: Bool)
        -> FunctionDecl
    {
        let declarationStart = tokens[max(0, index - 1)].range.start
        var name = "init"
        var nameRange = tokens[max(0, index - 1)].range
        if !isInitializer {
            if case .identifier(let identifier) = current.kind {
                name = identifier
                nameRange = current.range
                advance()
            } else {
                error("expected a function name after 'func'")
                name = ""
            }
        }
        var parameters: [ParameterDecl] = []
        if expect(.leftParen, "expected '(' to start the parameter list") {
            while !check(.rightParen), !atEnd, !check(.leftBrace) {
                let startIndex = index
                parameters.append(parseParameter())
                if !consume(.comma) { break }
                if index == startIndex { break }
            }
            expect(.rightParen, "expected ')' to close the parameter list")
        }
        var returnType: TypeSyntax?
        if consume(.throws) || consume(.rethrows) {}
        if consumeOperator("->") { returnType = parseType() }
        let signatureEnd = previousEnd
        let body = parseBlock(after: "the function signature")
        return FunctionDecl(
            name: name, nameRange: nameRange, parameters: parameters, returnType: returnType,
            body: body, isMutating: isMutating, isStatic: isStatic, isInitializer: isInitializer,
            signatureText: file.text(declarationStart..<signatureEnd),
            documentation: documentationComment(before: declarationStart))
    }

    private mutating func parseParameter() -> ParameterDecl {
        let start = current.range.start
        var first: String?
        if case .identifier(let word) = current.kind {
            first = word
            advance()
        } else if let keyword = keywordUsableAsLabel() {
            first = keyword
            advance()
        } else {
            error("expected a parameter name")
            return ParameterDecl(
                label: nil, name: "_", type: nil, defaultValue: nil,
                range: SourceRange(start, start))
        }
        var label = first == "_" ? nil : first
        var name = first ?? "_"
        if case .identifier(let second) = current.kind {
            name = second
            advance()
        } else if first == "_" {
            error("expected a parameter name after '_'")
        }
        if first != "_", label == nil { label = name }
        var parameter = ParameterDecl(
            label: label, name: name, type: nil, defaultValue: nil,
            range: SourceRange(start, previousEnd))
        if consume(.colon) {
            if consume(.inout) { parameter.isInout = true }
            parameter.type = parseType()
        }
        if consumeOperator("...") { parameter.isVariadic = true }
        if consumeOperator("=") { parameter.defaultValue = parseExpression() }
        parameter.range = SourceRange(start, previousEnd)
        return parameter
    }

    /// Swift lets keywords such as `in` or `for` be argument labels.
    func keywordUsableAsLabel() -> String? {
        if case .keyword(let keyword) = current.kind,
            ![.let, .var, .inout].contains(keyword)
        {
            return keyword.rawValue
        }
        return nil
    }

    // MARK: - struct and extension

    mutating func parseStruct() -> StructDecl {
        advance()
        var name = ""
        let nameRange = current.range
        if case .identifier(let identifier) = current.kind {
            name = identifier
            advance()
        } else {
            error("expected a struct name after 'struct'")
        }
        let conformances = parseConformances()
        let members = parseBlock(after: "the struct name")
        return StructDecl(
            name: name, nameRange: nameRange, conformances: conformances, members: members)
    }

    mutating func parseExtension() -> ExtensionDecl {
        advance()
        var name = ""
        let nameRange = current.range
        if case .identifier(let identifier) = current.kind {
            name = identifier
            advance()
        } else {
            error("expected a type name after 'extension'")
        }
        let conformances = parseConformances()
        let members = parseBlock(after: "the extended type's name")
        return ExtensionDecl(
            typeName: name, nameRange: nameRange, conformances: conformances, members: members)
    }

    private mutating func parseConformances() -> [String] {
        var names: [String] = []
        guard consume(.colon) else { return names }
        repeat {
            if case .identifier(let name) = current.kind {
                names.append(name)
                advance()
            } else {
                error("expected a protocol name")
                break
            }
        } while consume(.comma)
        return names
    }
}
