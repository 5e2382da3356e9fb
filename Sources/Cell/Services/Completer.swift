import Foundation
import KernelInterface

/// `complete_request`: names (variables, builtins, keywords), members after a dot by the
/// receiver's run-time type, argument labels inside a call, implicit members after `label: .`,
/// magics after `%`, and file paths inside string literals. Matches come sorted by relevance:
/// exact-case prefix matches first, user names before builtins before keywords.
struct Completer {
    let session: Session

    func complete(_ code: String, cursor: Int) -> CompletionResult {
        let context = CodeContext(code: code, cursor: cursor)
        if let string = context.openString {
            return completePath(string.text, cursor: context.cursor)
        }
        let prefix = context.word
        var candidates: [CompletionMatch] = []
        if context.isMagicName {
            candidates = Magics.names(in: session.registry).map {
                CompletionMatch(text: $0, kind: "magic")
            }
        } else if let chain = context.receiverChain() {
            guard let receiver = session.resolveChain(chain) else {
                return .none(at: context.cursor)
            }
            candidates = session.memberEntries(of: receiver).sorted { $0.name < $1.name }.map {
                CompletionMatch(text: $0.name, kind: $0.kind, signature: $0.signature)
            }
        } else if context.isImplicitMember {
            candidates = implicitMembers(context)
        } else {
            candidates = labels(context) + names(code)
        }
        let matches = rank(candidates, prefix: prefix)
        return CompletionResult(
            matches: matches, cursorStart: context.wordStart, cursorEnd: context.cursor)
    }

    // MARK: - Sources

    private func names(_ code: String) -> [CompletionMatch] {
        var matches: [CompletionMatch] = []
        for name in session.globals.userNames {
            matches.append(
                CompletionMatch(text: name, kind: kind(of: session.globals.value(of: name))))
        }
        for name in declaredNames(in: code) {
            matches.append(CompletionMatch(text: name, kind: "variable"))
        }
        let builtins = session.globals.definedNames.filter {
            session.globals.entries[$0]?.isBuiltin == true
        }
        for name in builtins.sorted() {
            let value = session.globals.value(of: name)
            let signature = value.flatMap { session.signatures(of: $0).first?.text }
            matches.append(CompletionMatch(text: name, kind: kind(of: value), signature: signature))
        }
        for keyword in Keyword.allCases {
            matches.append(CompletionMatch(text: keyword.rawValue, kind: "keyword"))
        }
        return matches
    }

    /// Names the cell itself declares (`let x`, `func f`, `for item in`), not yet run.
    private func declaredNames(in code: String) -> [String] {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<complete>", text: code))
        var names: [String] = []
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
            switch token.kind {
            case .keyword(.let), .keyword(.var), .keyword(.func), .keyword(.struct), .keyword(.for):
                if case .identifier(let name) = tokens[index + 1].kind { names.append(name) }
            default: break
            }
        }
        return names
    }

    private func labels(_ context: CodeContext) -> [CompletionMatch] {
        guard let call = context.enclosingCall(), call.atArgumentStart else { return [] }
        var matches: [CompletionMatch] = []
        var seen = Set<String>()
        for signature in session.signatures(ofCallee: call.callee) {
            for parameter in signature.parameters {
                guard let label = parameter.label, !call.usedLabels.contains(label),
                    seen.insert(label).inserted
                else { continue }
                matches.append(
                    CompletionMatch(
                        text: label + ": ", kind: "parameter", signature: parameter.signatureText))
            }
        }
        return matches
    }

    private func implicitMembers(_ context: CodeContext) -> [CompletionMatch] {
        guard let label = context.labelBeforeImplicitMember, let call = context.enclosingCall()
        else {
            return []
        }
        var matches: [CompletionMatch] = []
        for signature in session.signatures(ofCallee: call.callee) {
            for parameter in signature.parameters where parameter.label == label {
                guard let typeName = parameter.spec.implicitMemberTypeName,
                    let info = session.registry.types[typeName]
                else { continue }
                matches += session.memberEntries(of: .type(.registered(info))).map {
                    CompletionMatch(text: $0.name, kind: $0.kind, signature: $0.signature)
                }
            }
        }
        return matches
    }

    private func completePath(_ text: String, cursor: Int) -> CompletionResult {
        let slash = text.lastIndex(of: "/")
        let directory = slash.map { String(text[...$0]) } ?? ""
        let base = slash.map { String(text[text.index(after: $0)...]) } ?? text
        let expanded =
            (directory.hasPrefix("~")
                ? NSString(string: directory).expandingTildeInPath : directory)
        let listed =
            (try? FileManager.default.contentsOfDirectory(atPath: expanded.isEmpty ? "." : expanded))
            ?? []
        var matches: [CompletionMatch] = []
        for name in listed.sorted()
        where name.hasPrefix(base) && (base.hasPrefix(".") || !name.hasPrefix(".")) {
            var isDirectory: ObjCBool = false
            let path = (expanded.isEmpty ? "" : expanded) + name
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            matches.append(
                CompletionMatch(text: name + (isDirectory.boolValue ? "/" : ""), kind: "path"))
        }
        return CompletionResult(
            matches: matches, cursorStart: cursor - base.unicodeScalars.count, cursorEnd: cursor)
    }

    private func kind(of value: Value?) -> String {
        switch value {
        case .function?: return "function"
        case .type?: return "type"
        default: return "variable"
        }
    }

    // MARK: - Ranking

    /// Keeps candidates matching `prefix` (by prefix, then ignoring case, then as a
    /// subsequence), without duplicates, best first.
    private func rank(_ candidates: [CompletionMatch], prefix: String) -> [CompletionMatch] {
        var seen = Set<String>()
        var tiers: [[CompletionMatch]] = [[], [], []]
        let lowered = prefix.lowercased()
        for candidate in candidates {
            let bare =
                candidate.text.hasSuffix(": ") ? String(candidate.text.dropLast(2)) : candidate.text
            guard !seen.contains(candidate.text) else { continue }
            if bare.hasPrefix(prefix) {
                tiers[0].append(candidate)
            } else if bare.lowercased().hasPrefix(lowered) {
                tiers[1].append(candidate)
            } else if !prefix.isEmpty, bare.lowercased().isSubsequence(of: lowered) {
                tiers[2].append(candidate)
            } else {
                continue
            }
            seen.insert(candidate.text)
        }
        return tiers[0] + tiers[1].sorted { $0.text < $1.text }
            + tiers[2].sorted { $0.text < $1.text }
    }
}

extension String {
    /// Whether `pattern`'s characters appear in this string in order.
    fileprivate func isSubsequence(of pattern: String) -> Bool {
        var remaining = pattern[...]
        for character in self where character == remaining.first {
            remaining = remaining.dropFirst()
            if remaining.isEmpty { return true }
        }
        return remaining.isEmpty
    }
}
