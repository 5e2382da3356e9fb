// Plot: charts, image grids and tables, rendered to SVG, PNG and Unicode text.
//
// Design note. A chart is a model (series, axes, labels) that knows no renderer; renderers turn
// it into image/svg+xml, image/png (zlib, 2x resolution) or a terminal rendering.
