import KernelInterface
import Memory

/// `inspect_request` and `%help NAME`: the signature and documentation of builtins, library
/// functions and types, and members; the type, shape and summary of variables. Detail level 1
/// adds the full text form of a variable and the members of a type.
struct Inspector {
    let session: Session

    /// Documentation for the name at (or the call around) the cursor.
    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        let context = CodeContext(code: code, cursor: cursor)
        let whole = context.wholeWord
        var chain: [String] = []
        if !whole.text.isEmpty {
            chain = (context.receiverChain(before: whole.start) ?? []) + [whole.text]
        } else if let call = context.enclosingCall(from: context.cursor) {
            chain = call.callee
        }
        guard !chain.isEmpty, let text = describe(chain, detailLevel: detailLevel) else {
            return nil
        }
        return DocumentationText(text).mimeBundle
    }

    /// The documentation of a dotted name such as `print`, `Array.append`, `model.fit`.
    func describe(_ chain: [String], detailLevel: Int) -> String? {
        if chain.count == 1 {
            guard let value = session.globals.value(of: chain[0]) else {
                return keywordHelp(chain[0])
            }
            return describe(value: value, name: chain[0], detailLevel: detailLevel)
        }
        guard let name = chain.last else { return nil }
        let receiverChain = Array(chain.dropLast())
        if let receiver = session.resolveChain(receiverChain) {
            if let member = describeMember(name, of: receiver) { return member }
            if let value = try? session.member(name, of: receiver, at: nil) {
                return describe(
                    value: value, name: chain.joined(separator: "."), detailLevel: detailLevel)
            }
        }
        return nil
    }

    private func describe(value: Value, name: String, detailLevel: Int) -> String {
        switch value {
        case .function(let function):
            let signatures = session.signatures(of: value).map(\.text)
            let header =
                signatures.isEmpty ? function.signatureText : signatures.joined(separator: "\n")
            let doc = function.documentation
            return doc.isEmpty ? header : header + "\n\n" + doc
        case .type(let type):
            return describe(type: type, detailLevel: detailLevel)
        default:
            var lines = ["\(name): \(value.typeName)"]
            if let summary = summary(of: value) { lines.append(summary) }
            lines.append(session.debugPreview(of: value, limit: detailLevel > 0 ? 20_000 : 400))
            if detailLevel > 0 {
                let members = session.memberEntries(of: value).map(\.name).sorted()
                if !members.isEmpty {
                    lines.append("\nmembers: " + Set(members).sorted().joined(separator: ", "))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    private func describe(type: TypeValue, detailLevel: Int) -> String {
        switch type {
        case .registered(let info):
            var lines = [info.kind == .reference ? "class \(info.name)" : "struct \(info.name)"]
            if !info.conformances.isEmpty {
                lines[0] += ": " + info.conformances.sorted().joined(separator: ", ")
            }
            if !info.doc.isEmpty { lines.append("\n" + info.doc) }
            let initializers = info.initializers.map { "  " + $0.signature.text }
            if !initializers.isEmpty {
                lines.append("\nInitializers:\n" + initializers.joined(separator: "\n"))
            }
            let statics = info.staticMemberNames.sorted().map { "." + $0 }
            if !statics.isEmpty {
                lines.append("\nStatic members: " + statics.joined(separator: ", "))
            }
            if detailLevel > 0 || info.module != "Core" {
                let members = session.registeredEntries(info).sorted { $0.name < $1.name }
                if !members.isEmpty {
                    lines.append(
                        "\nMembers:\n"
                            + members.map { "  \(memberHeader($0))  \(firstLine($0.doc))" }
                            .joined(separator: "\n"))
                }
            }
            return lines.joined(separator: "\n")
        case .structure(let type):
            var lines = ["struct \(type.name)"]
            if let documentation = type.documentation { lines.append("\n" + documentation) }
            lines.append(
                "\n"
                    + session.signatures(of: .type(.structure(type))).map(\.text).joined(
                        separator: "\n"))
            let members = type.memberNames.sorted()
            if !members.isEmpty { lines.append("\nMembers: " + members.joined(separator: ", ")) }
            return lines.joined(separator: "\n")
        case .protocolType(let info):
            return "protocol \(info.name)\n\n\(info.doc)\n\nRequirements: "
                + info.requirements.joined(separator: ", ")
        }
    }

    private func describeMember(_ name: String, of receiver: Value) -> String? {
        let entries = session.memberEntries(of: receiver).filter { $0.name == name }
        guard !entries.isEmpty else { return nil }
        if entries.allSatisfy({ $0.kind == "property" }), let entry = entries.first {
            let value = try? session.member(name, of: receiver, at: nil)
            var text = "\(receiver.typeName).\(name)"
            if let type = entry.signature { text += ": \(type)" }
            if let value { text += " = " + session.debugPreview(of: value, limit: 400) }
            return entry.doc.isEmpty ? text : text + "\n\n" + entry.doc
        }
        return entries.map { entry in
            let header = "\(receiver.typeName).\(entry.signature ?? entry.name)"
            return entry.doc.isEmpty ? header : header + "\n\n" + entry.doc
        }.joined(separator: "\n\n")
    }

    private func summary(of value: Value) -> String? {
        switch value {
        case .array(let elements):
            return "\(elements.count) element\(elements.count == 1 ? "" : "s")"
        case .dictionary(let dictionary):
            return "\(dictionary.count) entr\(dictionary.count == 1 ? "y" : "ies")"
        case .string(let text):
            guard let count = text.characterCountIfSmall else {
                return "\(ByteCount(text.utf8.count)) of text"
            }
            return "\(count) character\(count == 1 ? "" : "s")"
        case .host(let object): return object.type.summarize?(value)
        default: return nil
        }
    }

    private func keywordHelp(_ word: String) -> String? {
        guard Keyword(rawValue: word) != nil else { return nil }
        return "'\(word)' is a keyword of the cell language; see notebooks/00-language-tour.ipynb."
    }

    /// A member as listed under a type: `count: Int` for a property, the signature of a
    /// method.
    private func memberHeader(_ entry: Session.MemberEntry) -> String {
        guard let signature = entry.signature else { return entry.name }
        return entry.kind == "property" ? "\(entry.name): \(signature)" : signature
    }

    private func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
}
