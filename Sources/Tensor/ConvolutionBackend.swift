import Synchronization

/// Which implementation `conv2d` runs on.
///
/// ```swift
/// ConvolutionBackend.current = .im2col   // the reference path, e.g. to compare against
/// ```
public enum ConvolutionBackend: UInt8, Sendable, CaseIterable {
    /// oneDNN's convolution primitives (kernels chosen from the CPU's features, blocked
    /// layouts) wherever oneDNN can create one for the shape, im2col + sgemm otherwise. The
    /// default: measured faster at the CNN benchmark's shapes (bench/README.md).
    case automatic
    /// im2col + sgemm always: the reference the oneDNN path is tested against.
    case im2col

    private static let selected = Atomic<UInt8>(ConvolutionBackend.automatic.rawValue)

    /// The implementation every `conv2d` from now on runs on (process-wide).
    public static var current: ConvolutionBackend {
        get { ConvolutionBackend(rawValue: selected.load(ordering: .relaxed)) ?? .automatic }
        set { selected.store(newValue.rawValue, ordering: .relaxed) }
    }
}
