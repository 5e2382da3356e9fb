import CDNNLConvolution

/// oneDNN's library, loaded on first use rather than at start (`dnnl_library.h`): whether this
/// process has it, decided once. A machine without Debian's `libdnnl2` package runs every
/// convolution on im2col + sgemm, and an int8 product fails with ``loadError``.
public enum DNNLLibrary {
    /// Why libdnnl cannot be loaded, or "" when it is loaded; the load is tried on first read,
    /// once per process (a failure is permanent). `TRAINBOOK_DNNL_LIBRARY`, a test and
    /// diagnostic hook, names the file to load instead of libdnnl's soname.
    public static let loadError = String(cString: tb_dnnl_load_error())

    /// Whether libdnnl is loaded (loading it on first read).
    public static var isAvailable: Bool { loadError.isEmpty }
}
