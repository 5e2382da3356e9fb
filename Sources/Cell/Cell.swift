// Cell: the Swift-flavoured, dynamically typed language that Trainbook cells are written in.
//
// Design note. One stage per file: lex -> parse (recovering, never failing) -> evaluate in a
// persistent Session. Builtins and library types are bound through one declarative registry
// that the evaluator, argument checking, completion and inspection all read.
