import Foundation
import KernelInterface

/// `complete_request`: names (variables, builtins, keywords), members after a dot by the
/// receiver's run-time type, argument labels inside a call, implicit members after `label: .`,
/// magics after `%`, and file paths inside string literals. Matches come sorted by relevance:
/// prefix matches first (exact case before any case), within them by source (argument labels,
/// the cell's own names, session names, builtins, keywords), then the shorter name; names that
/// only contain the typed letters in order (`RMSProp` for `pr`) are offered only when nothing
/// starts with them.
struct Completer {
    let session: Session

    func complete(_ code: String, cursor: Int) -> CompletionResult {
        let context = CodeContext(code: code, cursor: cursor)
        if let string = context.openString {
            return completePath(string.text, cursor: context.cursor)
        }
        let prefix = context.word
        var candidates: [Candidate] = []
        if context.isMagicName {
            candidates = Magics.names(in: session.registry).map {
                Candidate(CompletionMatch(text: $0, kind: "magic"), source: .builtin)
            }
        } else if let chain = context.receiverChain() {
            guard let receiver = session.resolveChain(chain) else {
                return .none(at: context.cursor)
            }
            candidates = session.memberEntries(of: receiver).map {
                Candidate(
                    CompletionMatch(text: $0.name, kind: $0.kind, signature: $0.signature),
                    source: .member)
            }
        } else if context.isImplicitMember {
            candidates = implicitMembers(context).map { Candidate($0, source: .member) }
        } else {
            candidates = labels(context).map { Candidate($0, source: .label) } + names(code)
        }
        let matches = rank(candidates, prefix: prefix)
        return CompletionResult(
            matches: matches, cursorStart: context.wordStart, cursorEnd: context.cursor)
    }

    // MARK: - Sources

    private func names(_ code: String) -> [Candidate] {
        var matches: [Candidate] = []
        for name in declaredNames(in: code) {
            matches.append(Candidate(CompletionMatch(text: name, kind: "variable"), source: .local))
        }
        for name in session.globals.userNames {
            let match = CompletionMatch(text: name, kind: kind(of: session.globals.value(of: name)))
            matches.append(Candidate(match, source: .session))
        }
        let builtins = session.globals.definedNames.filter {
            session.globals.entries[$0]?.isBuiltin == true
        }
        for name in builtins {
            let value = session.globals.value(of: name)
            let signature = value.flatMap { session.signatures(of: $0).first?.text }
            let match = CompletionMatch(text: name, kind: kind(of: value), signature: signature)
            matches.append(Candidate(match, source: .builtin))
        }
        for keyword in Keyword.allCases where keyword.isOfferedInCompletion {
            let match = CompletionMatch(text: keyword.rawValue, kind: "keyword")
            matches.append(Candidate(match, source: .keyword))
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

    /// Where a candidate comes from; earlier sources rank first among equally good matches.
    enum Source: Int, Comparable {
        /// An argument label of the enclosing call.
        case label
        /// A name the cell itself declares.
        case local
        /// A name defined by earlier cells.
        case session
        /// A member after a dot, or an implicit member.
        case member
        /// A builtin function, type or magic.
        case builtin
        /// A keyword of the cell language.
        case keyword

        static func < (lhs: Source, rhs: Source) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A match with its source.
    struct Candidate {
        var match: CompletionMatch
        var source: Source

        init(_ match: CompletionMatch, source: Source) {
            self.match = match
            self.source = source
        }
    }

    /// How well a name matches the typed prefix; lower is better, nil for no match.
    private static func tier(of name: String, prefix: String) -> Int? {
        if name.hasPrefix(prefix) { return 0 }
        if name.lowercased().hasPrefix(prefix.lowercased()) { return 1 }
        if !prefix.isEmpty, name.lowercased().isSubsequence(of: prefix.lowercased()) { return 2 }
        return nil
    }

    /// Keeps candidates matching `prefix`, without duplicates, best first: exact-case prefix
    /// matches, then prefix matches in any case, each by source, then the shorter name (with a
    /// prefix typed) or alphabetically; subsequence ("fuzzy") matches only when no name starts
    /// with the prefix.
    func rank(_ candidates: [Candidate], prefix: String) -> [CompletionMatch] {
        var scored: [(candidate: Candidate, bare: String, tier: Int)] = []
        for candidate in candidates {
            let text = candidate.match.text
            let bare = text.hasSuffix(": ") ? String(text.dropLast(2)) : text
            guard let tier = Self.tier(of: bare, prefix: prefix) else { continue }
            scored.append((candidate, bare, tier))
        }
        if scored.contains(where: { $0.tier < 2 }) { scored.removeAll { $0.tier == 2 } }
        scored.sort { left, right in
            if left.tier != right.tier { return left.tier < right.tier }
            if left.candidate.source != right.candidate.source {
                return left.candidate.source < right.candidate.source
            }
            if !prefix.isEmpty, left.bare.count != right.bare.count {
                return left.bare.count < right.bare.count
            }
            return left.bare < right.bare
        }
        var seen = Set<String>()
        return scored.compactMap {
            seen.insert($0.candidate.match.text).inserted ? $0.candidate.match : nil
        }
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
