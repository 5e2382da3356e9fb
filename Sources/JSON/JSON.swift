// JSON: one JSON value type, one parser and one writer (RFC 8259) for every module that reads or
// writes JSON: the kernel's messages, notebooks, connection files, safetensors headers and the
// benchmarks' output.
//
// Design note. The parser reads bytes once, left to right: every loop consumes input, strings
// without escapes are decoded in one step and escaped ones are built in one buffer, so its time
// is linear in the input whatever it holds (a header of two million `\"` escapes parses in
// milliseconds). Strict readers (safetensors) ask for duplicate keys and lone surrogates to be
// errors through `JSONParsingOptions`; the wire format keeps the lenient defaults.
