import Synchronization

/// Which implementation `conv2d` runs on.
///
/// ```swift
/// ConvolutionBackend.current = .im2col   // the reference path, e.g. to compare against
/// ```
public enum ConvolutionBackend: UInt8, Sendable, CaseIterable {
    /// Each pass on whichever was measured faster for its shape (`trainbook-bench conv`, AMD
    /// EPYC Zen 4, one thread): oneDNN's primitives when a window holds enough inputs
    /// (channels × kernel height × kernel width ≥ `DNNLConvolution.minimumWindow`: 64 for
    /// the forward pass, 128 for the backward), im2col + sgemm otherwise (there oneDNN's
    /// reorders to and from its blocked layouts cost more than its kernels save). The default.
    case automatic
    /// oneDNN's convolution primitives (kernels chosen from the CPU's features, blocked
    /// layouts) wherever oneDNN can create one for the shape, im2col + sgemm otherwise.
    case oneDNN
    /// im2col + sgemm always: the reference the oneDNN path is tested against.
    case im2col

    private static let selected = Atomic<UInt8>(ConvolutionBackend.automatic.rawValue)

    /// The implementation every `conv2d` from now on runs on (process-wide).
    public static var current: ConvolutionBackend {
        get { ConvolutionBackend(rawValue: selected.load(ordering: .relaxed)) ?? .automatic }
        set { selected.store(newValue.rawValue, ordering: .relaxed) }
    }
}
