// Plot: charts, image grids, tables and progress displays, rendered to SVG, PNG and Unicode text.
//
// Design note. A `Chart` is a value that describes what to show (series, axes, labels, colours)
// and knows no renderer. Rendering goes in two steps:
//
//     Chart --layout--> Scene --SVGRenderer--> image/svg+xml
//                             --SceneRasterizer + PNGEncoder--> image/png (2x)
//     Chart --TextChartRenderer--> text/plain (braille and block characters)
//
// Layout (folder Layout/) turns a chart into a `Scene`: a flat display list of paths, text runs
// and images in CSS pixels. All decisions about ticks, margins, legends and label thinning are
// made once there, so the SVG and the PNG of a chart agree. Text is measured with a metrics
// table whose advance widths match Helvetica/Arial, the first fonts of the SVG font stack, and the
// stroke font the rasterizer draws PNG text with has the same advances. The terminal renderer
// works on a character grid and has its own, simpler layout.
//
// Tables (`Table`) render to aligned text and to a plain HTML <table>. The progress display
// (`ProgressState`) renders as HTML with live curves, a `\r`-redrawn text bar or epoch lines;
// `ProgressReporter` turns a job's successive states into display, update and stream outputs
// through a `ProgressThrottle`. Plot has no timers and no threads: callers feed it states and
// times. `Chart.write(to:)` saves SVG or PNG atomically (temporary file, then rename).
//
// Folders: Model (what a chart is), Layout (chart to scene), SVG, Raster (rasterizer, stroke
// font, PNG encoder), Text (terminal renderings), Table, Progress, Output (formats, bundles,
// files).
//
// Inputs are plain Swift values (`[Double]`, `[Float]`, `[UInt8]` pixels, `String` labels) so
// that the cell language can bind them without Plot knowing about tensors. Nothing a user passes
// can trap: non-finite values are skipped, sizes are clamped, invalid shapes throw `PlotError`.
