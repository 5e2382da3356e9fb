// KernelInterface: the seam between the Jupyter kernel server and a language.
//
// Design note. The kernel server (module `Jupyter`) speaks ZeroMQ and the messaging protocol; the
// cell language (module `Cell`) evaluates code. Neither knows the other: they meet in the
// `Interpreter` protocol defined here, in the spirit of xeus's interpreter interface. The server
// owns the execution counter, the parent header, history and comms; the interpreter owns the
// session and produces MIME bundles and stream text through an `OutputSink`.
//
// All cursor positions crossing this seam count Unicode scalars (Jupyter protocol 5.2), not
// grapheme clusters and not UTF-16 code units.
//
// The seam speaks in JSON values and MIME bundles, so it hands on the two small modules that
// define them: whoever imports KernelInterface can name `JSONValue` and `MimeBundle`.

@_exported import Display
@_exported import JSON
