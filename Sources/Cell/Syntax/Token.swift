/// One lexical token with its range and the spacing around it (Swift decides whether an
/// operator is prefix, postfix or binary from the whitespace on each side).
struct Token: Sendable, Equatable {
    var kind: TokenKind
    var range: SourceRange
    /// Whitespace, a comment, a line break or the start of the source precedes the token.
    var spaceBefore: Bool
    /// A line break precedes the token (statements end at line breaks).
    var newlineBefore: Bool
    /// Whitespace, a comment, a line break or the end of the source follows the token.
    var spaceAfter: Bool
}

/// What a token is.
enum TokenKind: Sendable, Equatable {
    case identifier(String)
    case keyword(Keyword)
    case integer(Int)
    case float(Double)
    case string([StringSegment])
    /// `$0`, `$1`, … inside closures.
    case dollar(Int)
    /// An operator such as `+`, `..<`, `==`, `=`, `->`, `?`, `!`, `&`.
    case op(String)
    case punctuation(Punctuation)
    /// A `%name …` line or, with `isCell`, a leading `%%name …` line: the name and the rest of
    /// the line (for a cell magic, the rest of the cell).
    case magic(name: String, argument: String, argumentStart: Int, isCell: Bool)
    /// Text the lexer could not read; the diagnostic says why.
    case invalid
    case endOfFile
}

/// A piece of a string literal: literal text, or the range of an interpolated `\(…)` expression.
enum StringSegment: Sendable, Equatable {
    case text(String)
    case interpolation(SourceRange)
}

/// Brackets and separators.
enum Punctuation: String, Sendable {
    case leftParen = "("
    case rightParen = ")"
    case leftBracket = "["
    case rightBracket = "]"
    case leftBrace = "{"
    case rightBrace = "}"
    case comma = ","
    case colon = ":"
    case semicolon = ";"
    case dot = "."
    case at = "@"
}

/// Reserved words. Contextual words (`get`, `set`, `mutating`, `static`, `init`) are keywords
/// here too, since cells have no use for them as names.
enum Keyword: String, Sendable, CaseIterable {
    case `let`, `var`, `func`, `struct`, `extension`, `protocol`, `enum`, `import`
    case `if`, `else`, `guard`, `for`, `in`, `while`, `repeat`, `switch`, `case`, `default`
    case `break`, `continue`, `return`, `fallthrough`, `where`
    case `true`, `false`, `nil`, `self`, `init`
    case `mutating`, `static`, `inout`, `is`, `as`, `try`, `throws`, `rethrows`, `do`
    case `private`, `fileprivate`, `public`, `internal`, `final`
}

extension Keyword {
    /// Whether completion offers the word: keywords the cell language gives a meaning to, not
    /// those it only tolerates from pasted Swift (`private`, `import`, `throws`) or refuses
    /// (`protocol`, `enum`).
    var isOfferedInCompletion: Bool {
        switch self {
        case .protocol, .enum, .import, .private, .fileprivate, .public, .internal, .final,
            .throws, .rethrows:
            return false
        default:
            return true
        }
    }
}

extension TokenKind {
    /// A short description for diagnostics: `')'`, `identifier 'x'`, `end of cell`.
    var spelling: String {
        switch self {
        case .identifier(let name): return "'\(name)'"
        case .keyword(let keyword): return "'\(keyword.rawValue)'"
        case .integer, .float: return "number"
        case .string: return "string"
        case .dollar(let index): return "'$\(index)'"
        case .op(let text): return "'\(text)'"
        case .punctuation(let punctuation): return "'\(punctuation.rawValue)'"
        case .magic(let name, _, _, let isCell): return "'\(isCell ? "%%" : "%")\(name)'"
        case .invalid: return "invalid text"
        case .endOfFile: return "end of cell"
        }
    }
}
