/// The operators the lexer knows, for splitting runs like `=-` into `=` and `-`.
enum OperatorSpelling {
    /// Every operator the language has, longest spellings included.
    static let known: Set<String> = [
        "+", "-", "*", "/", "%", "=", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "!",
        "...", "..<", "+=", "-=", "*=", "/=", "%=", "??", "&", "|", "^", "~", "<<", ">>",
        "===", "!==", "->", "?", "&=", "|=", "^=", "<<=", ">>=", "~=",
    ]

    /// Characters that can appear in an operator.
    static func isOperatorCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "/", "=", "-", "+", "!", "*", "%", "<", ">", "&", "|", "^", "~", "?": return true
        default: return false
        }
    }
}
