import CVectorKernels
import Synchronization

/// The 2×2 max pooling (stride 2) that `conv2dMaxPool2x2` runs on each image's convolution
/// output while it is still in cache, instead of writing the whole convolution output and
/// reading it back: `pool` keeps each window's maximum and which element gave it (a code per
/// pooled value, `tb_max_pool_2x2_argmax`), and the backward pass rebuilds the gradient with
/// respect to the convolution's output from the pooled gradient and the codes alone
/// (`tb_max_pool_2x2_scatter`), with ReLU's derivative already in the codes (a window whose
/// maximum is not above 0 passes no gradient).
struct ConvolutionPooling {
    /// The pooling's windows over the convolution's output `[N, O, OH, OW]`.
    let geometry: WindowGeometry
    /// Whether a ReLU ran before the pooling (its derivative goes into the codes).
    let afterRelu: Bool
    /// The pooled output, `[N, O, OH / 2, OW / 2]`.
    let pooled: Tensor
    /// Which element of each window gave its maximum (0–3), or 4 for none taking a gradient.
    let codes: Tensor

    /// What follows a convolution in `Tensor.convolved`.
    enum Kind: Sendable {
        /// Nothing: the convolution's output as it is.
        case none
        /// 2×2 max pooling with stride 2, fused (`conv2dMaxPool2x2`).
        case maxPool2x2
    }

    /// Whether the pooling can run fused after `activation`: its codes carry only ReLU's
    /// derivative (or none), so the identity and ReLU.
    static func fuses(_ activation: FusedActivation) -> Bool {
        activation == .identity || activation == .relu
    }

    /// Throws unless `fuses(activation)`: another activation's derivative would be lost.
    static func requireFusable(_ activation: FusedActivation) throws(TensorError) {
        guard fuses(activation) else {
            throw .invalidArgument(
                operation: "conv2dMaxPool2x2",
                message:
                    "the fused pooling takes only the identity or ReLU, got \(activation); "
                    + "use conv2d(…).maxPool2d(kernel: 2) for it")
        }
    }

    /// How many images the nChw16c kernels pooled and scattered (`poolBlocked`,
    /// `scatterBlocked`): the tests' proof that the blocked path ran.
    let blockedRuns = BlockedRuns()

    /// The counters of `blockedRuns`.
    final class BlockedRuns: Sendable {
        let pooled = Atomic<Int>(0)
        let scattered = Atomic<Int>(0)
    }

    /// Whether the nChw16c kernels can take this output: their lane offsets (channel k of a
    /// block is k pooled planes apart, k < 16) are 32-bit, so 15 pooled planes must fit in an
    /// `Int32`; otherwise the caller has oneDNN write (and read) the plain layout.
    var fitsBlockedKernels: Bool { Self.blockedKernelsFit(pooledPlane: geometry.outputPlane) }

    /// Whether 15 pooled planes of `pooledPlane` floats fit the nChw16c kernels' 32-bit lane
    /// offsets.
    static func blockedKernelsFit(pooledPlane: Int) -> Bool {
        let (span, overflow) = pooledPlane.multipliedReportingOverflow(by: 15)
        return !overflow && span <= Int(Int32.max)
    }

    /// Pooling for a convolution output of `convolutionShape` (`[N, O, OH, OW]`, OH, OW ≥ 2).
    init(convolutionShape: [Int], afterRelu: Bool) throws(TensorError) {
        geometry = try WindowGeometry(
            input: convolutionShape, kernel: 2, stride: 2, padding: 0, dilation: 1,
            operation: "conv2dMaxPool2x2")
        self.afterRelu = afterRelu
        let shape = [
            geometry.batch, geometry.channels, geometry.outputHeight, geometry.outputWidth,
        ]
        pooled = try Tensor(uninitializedShape: shape, dtype: .float32)
        codes = try Tensor(uninitializedShape: shape, dtype: .float32)
    }

    /// Pools `images` of the batch from their convolution output at `source`, laid out
    /// `[images.count, O, OH, OW]` (after the activation).
    func pool(images: Range<Int>, from source: UnsafePointer<Float>) {
        let g = geometry
        let planes = g.channels
        if g.inputHeight % 2 == 0 {
            // An image's planes one after another: one plane of C·OH rows, whose windows
            // never straddle two channels, pooled in one call.
            let (image, pooledImage) = (planes &* g.inputPlane, planes &* g.outputPlane)
            for (offset, index) in images.enumerated() {
                tb_max_pool_2x2_argmax(
                    source + offset &* image, g.inputWidth, pooled.floats + index &* pooledImage,
                    codes.floats + index &* pooledImage, planes &* g.outputHeight,
                    g.outputWidth, afterRelu ? 1 : 0)
            }
            return
        }
        for (offset, image) in images.enumerated() {
            for channel in 0..<planes {
                let plane = image &* planes &+ channel
                tb_max_pool_2x2_argmax(
                    source + (offset &* planes &+ channel) &* g.inputPlane, g.inputWidth,
                    pooled.floats + plane &* g.outputPlane, codes.floats + plane &* g.outputPlane,
                    g.outputHeight, g.outputWidth, afterRelu ? 1 : 0)
            }
        }
    }

    /// `pool` for images whose convolution output at `source` is nChw16c (oneDNN's blocked
    /// layout, `[images.count]` images of O·OH·OW floats, O a multiple of 16), only when
    /// `fitsBlockedKernels`.
    func poolBlocked(images: Range<Int>, from source: UnsafePointer<Float>) {
        let g = geometry
        blockedRuns.pooled.add(images.count, ordering: .relaxed)
        let (image, pooledImage) = (g.channels &* g.inputPlane, g.channels &* g.outputPlane)
        for (offset, index) in images.enumerated() {
            tb_max_pool_2x2_argmax_blocked16(
                source + offset &* image, g.channels, g.inputHeight, g.inputWidth,
                pooled.floats + index &* pooledImage, codes.floats + index &* pooledImage,
                afterRelu ? 1 : 0)
        }
    }

    /// `scatter` for every channel of `image` at once into `target`, one image's O·OH·OW
    /// floats laid out nChw16c (every one written), only when `fitsBlockedKernels`.
    func scatterBlocked(
        _ gradient: UnsafePointer<Float>, image: Int, into target: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        blockedRuns.scattered.add(1, ordering: .relaxed)
        let offset = image &* g.channels &* g.outputPlane
        tb_max_pool_2x2_scatter_blocked16(
            codes.floats + offset, gradient + offset, target, g.channels, g.inputHeight,
            g.inputWidth)
    }

    /// Writes the gradient with respect to the convolution's output (before the activation
    /// when it was a ReLU) of one channel plane of `image` to `target` (OH × OW floats, every
    /// one written), from `gradient`, the gradient of the whole pooled output.
    func scatter(
        _ gradient: UnsafePointer<Float>, image: Int, channel: Int,
        into target: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        let plane = (image &* g.channels &+ channel) &* g.outputPlane
        tb_max_pool_2x2_scatter(
            codes.floats + plane, gradient + plane, target, g.inputWidth, g.outputHeight,
            g.outputWidth)
        g.zeroOutsideDisjointWindows(target)
    }
}
