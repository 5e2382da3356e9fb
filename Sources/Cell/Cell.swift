// Cell: the Swift-flavoured, dynamically typed language that Trainbook cells are written in.
//
// Design note. One stage per folder: Syntax (source, tokens, lexer, tree) -> Parser (recursive
// descent that never fails: a missing token becomes a missing node plus a diagnostic, and every
// loop makes progress, with nesting bounded) -> Compiler (resolves names to frame slots, boxes
// for captured variables and global addresses, then builds a tree of Swift closures once per
// cell) -> Runtime (values, frames, the persistent Session, operators, members, calls).
//
// Values are a small enum: Int, Double and Bool carry no reference counting; arrays,
// dictionaries, strings and user structs are copy-on-write values, changed in place by moving
// them out of their variable first; library objects are values or references as registered.
// Errors travel as typed throws (`Failure`) carrying their source location and the chain of
// calls; loops and calls check an atomic interrupt flag, calls check a recursion limit, and
// allocations proportional to input check a memory budget. Cells run on one thread with a large
// stack (Interpreter/EvaluationThread).
//
// Builtins and library types are bound through one declarative Registry (Registry/) that the
// evaluator, argument checking, completion, inspection and %help all read.
