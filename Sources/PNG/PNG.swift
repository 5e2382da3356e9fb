// PNG: the one PNG encoder, for charts and image grids (module `Plot`) and the kernelspec logos
// (module `Jupyter`). Adaptive row filters and zlib's deflate; no decoder (tests use zlib's
// inflate to read back what it wrote).
