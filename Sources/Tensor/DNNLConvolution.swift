import CDNNLConvolution
import Foundation
import Synchronization

/// oneDNN's convolution primitives for one shape (batch included), created once and cached:
/// creation costs milliseconds, an execution at the CNN's shapes about as much. Executions
/// may run on several threads at once (each brings its own stream and scratchpad).
final class DNNLConvolution: @unchecked Sendable {
    /// What a primitive is created for.
    struct Key: Hashable {
        let batch: Int
        let channels: Int
        let height: Int
        let width: Int
        let outputs: Int
        let kernel: Size2D
        let stride: Size2D
        let padding: Size2D
        let dilation: Size2D
        let outputHeight: Int
        let outputWidth: Int
        let hasBias: Bool
        let relu: Bool
        /// The OpenMP threads an execution uses (fixed when oneDNN creates the primitive).
        let threads: Int

        var shape: tb_dnnl_conv_shape {
            tb_dnnl_conv_shape(
                batch: batch, channels: channels, height: height, width: width, outputs: outputs,
                kernel_height: kernel.height, kernel_width: kernel.width,
                output_height: outputHeight, output_width: outputWidth,
                stride_height: stride.height, stride_width: stride.width,
                padding_height: padding.height, padding_width: padding.width,
                dilation_height: dilation.height, dilation_width: dilation.width)
        }

        /// Whether the forward pass asks oneDNN for Winograd F(4×4, 3×3): 3×3 windows at
        /// stride 1 over at least 16 channels with outputs of at least 9×9, where
        /// `trainbook-bench conv`'s shapes (one thread, AMD EPYC Zen 4) found it faster than
        /// direct (16 → 32 on 28×28 and 32 → 64, 64 → 64 on 13×13; slower at 8 → 32 on 28×28
        /// and at 32 → 64 on 7×7). The backward passes stay direct: Winograd's was no faster.
        var prefersWinograd: Bool {
            kernel == 3 && stride == 1 && dilation == 1 && channels >= 16
                && outputHeight >= 9 && outputWidth >= 9
        }

        var description: String {
            "[\(batch), \(channels), \(height), \(width)] ⊛ [\(outputs), \(channels), "
                + "\(kernel.height), \(kernel.width)], stride \(stride), padding \(padding), "
                + "dilation \(dilation)"
        }
    }

    /// A convolution's pass.
    enum Pass: CustomStringConvertible {
        case forward
        /// The input, weight and bias gradients.
        case backward

        var description: String {
            switch self {
            case .forward: "forward"
            case .backward: "backward"
            }
        }
    }

    /// A failure tests make happen for one key, to see the callers fall back to im2col + sgemm.
    enum InjectedFailure {
        /// `cached` fails as oneDNN would with `status` (1 out of memory, 3 unimplemented).
        case creation(status: Int32)
        /// Every execution fails (the primitives are created as usual).
        case execution
    }

    /// The failures tests inject, by key (none outside tests).
    static let injectedFailures = Mutex<[Key: InjectedFailure]>([:])

    /// The fewest inputs per window (channels × kernel height × kernel width) at which
    /// `ConvolutionBackend.automatic` runs `pass` on oneDNN: between the sizes where
    /// `trainbook-bench conv` measured im2col + sgemm faster (36 forward, 72 backward) and
    /// oneDNN faster (72 forward, 144 backward), one thread on AMD EPYC Zen 4.
    static func minimumWindow(_ pass: Pass) -> Int {
        switch pass {
        case .forward: 64
        case .backward: 128
        }
    }

    /// The most images one execution takes; a larger part of a batch runs in several. Small
    /// runs keep the workspace (reordered copies, Winograd's transforms) small — 3.4 MB per
    /// pass for the CNN's second layer, not 27 MB at an evaluation batch of 256 — and one
    /// primitive serves training and evaluation batches alike.
    static let imagesPerExecution = 32

    private let handle: OpaquePointer
    let key: Key
    /// Successful forward executions so far (how tests tell this path ran).
    let forwardRuns = Atomic<Int>(0)
    /// Successful backward executions so far.
    let backwardRuns = Atomic<Int>(0)
    /// Failed executions (and workspace queries) so far; only the first is logged.
    let failures = Atomic<Int>(0)

    private init(handle: OpaquePointer, key: Key) {
        self.handle = handle
        self.key = key
    }

    deinit { tb_dnnl_conv_destroy(handle) }

    /// The primitives oneDNN chose: forward, input gradient, weight gradient ("" for one not
    /// created yet).
    var implementations: [String] {
        (0..<3).map { String(cString: tb_dnnl_conv_implementation(handle, Int32($0))) }
    }

    /// Whether every primitive created so far, reorders included, takes its scratchpad from
    /// the workspace (so it may run on a thread other than the one that created it).
    var usesUserScratchpads: Bool { tb_dnnl_conv_user_scratchpads(handle) != 0 }

    /// Whether `tb_openmp_set_threads` reaches OpenMP's `omp_set_num_threads` in this process;
    /// when it does not, oneDNN's OpenMP teams start with a thread per core and compete with
    /// ours.
    static var setsOpenMPThreads: Bool { tb_openmp_setter_found() != 0 }

    /// Whether tests made executions of this key fail.
    private var executionFails: Bool {
        Self.injectedFailures.withLock {
            if case .execution = $0[key] { true } else { false }
        }
    }

    /// Counts a failure, logging the first for this shape (a failure that repeats would
    /// otherwise leave a line per batch).
    private func failed(_ detail: String) {
        let (_, count) = failures.add(1, ordering: .relaxed)
        if count == 1 { Self.log("\(key.description): \(detail)") }
    }

    /// The bytes of workspace an execution of `pass` needs (creating the backward primitives
    /// on first use); nil (with a log line) when oneDNN failed.
    func workspaceBytes(_ pass: Pass) -> Int? {
        var bytes = 0
        var error = [CChar](repeating: 0, count: 256)
        let status = tb_dnnl_conv_workspace(
            handle, pass == .forward ? 0 : 1, &bytes, &error, error.count)
        guard status == 0 else {
            failed("the convolution's \(pass): \(Self.text(error))")
            return nil
        }
        return bytes
    }

    /// Whether the forward primitive writes its output nChw16c (`tb_dnnl_conv_blocked_dst`),
    /// which `forward(…, blocked: true)` then leaves as it is.
    var writesBlockedOutput: Bool { tb_dnnl_conv_blocked_dst(handle) != 0 }

    /// Whether the backward primitives read the output gradient nChw16c
    /// (`tb_dnnl_conv_blocked_diff_dst`, creating them on first use), which
    /// `backward(…, blockedGradient: true)` then takes as it is.
    var readsBlockedGradient: Bool {
        var error = [CChar](repeating: 0, count: 256)
        return tb_dnnl_conv_blocked_diff_dst(handle, &error, error.count) != 0
    }

    /// `dst = conv(src) + bias` (through ReLU when created so), with `workspace` of
    /// `workspaceBytes(.forward)` bytes; false (with a log line) when oneDNN failed. With
    /// `blocked` (only when `writesBlockedOutput`), `dst` is left nChw16c.
    func forward(
        _ src: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        into dst: UnsafeMutablePointer<Float>, blocked: Bool = false,
        workspace: UnsafeMutableRawBufferPointer
    ) -> Bool {
        let status =
            executionFails
            ? Self.injectedStatus
            : tb_dnnl_conv_forward_into(
                handle, src, weight, bias, dst, blocked ? 1 : 0, workspace.baseAddress,
                workspace.count)
        guard status == 0 else {
            failed("the convolution's forward failed with oneDNN status \(status)")
            return false
        }
        forwardRuns.add(1, ordering: .relaxed)
        return true
    }

    /// The gradients given the output's `gradient` (after the activation's derivative), each
    /// overwritten where not nil, with `workspace` of `workspaceBytes(.backward)` bytes; false
    /// (with a log line) when oneDNN failed. With `blockedGradient` (only when
    /// `readsBlockedGradient`), `gradient` is nChw16c.
    func backward(
        _ src: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        gradient: UnsafePointer<Float>, blockedGradient: Bool = false,
        input: UnsafeMutablePointer<Float>?,
        weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?,
        workspace: UnsafeMutableRawBufferPointer
    ) -> Bool {
        var error = [CChar](repeating: 0, count: 256)
        let status =
            executionFails
            ? Self.injectedStatus
            : tb_dnnl_conv_backward_from(
                handle, src, weight, gradient, blockedGradient ? 1 : 0, input, weightGradient,
                biasGradient, workspace.baseAddress, workspace.count, &error, error.count)
        guard status == 0 else {
            failed("the convolution's backward: \(Self.text(error)) (oneDNN status \(status))")
            return false
        }
        backwardRuns.add(1, ordering: .relaxed)
        return true
    }

    private static let cache = Mutex<(made: [Key: DNNLConvolution], failed: Set<Key>)>(
        ([:], []))
    /// More shapes than a model has convolutions × batch sizes; past it the cache starts over.
    private static let cacheLimit = 128

    /// The primitives for `key` if they have been created (none are created here).
    static func existing(_ key: Key) -> DNNLConvolution? {
        cache.withLock { $0.made[key] }
    }

    /// The status an injected execution failure reports (oneDNN's runtime error).
    private static let injectedStatus: Int32 = 5

    /// The primitives for `key`, created on first use; nil (with a log line) when oneDNN
    /// cannot create them, so the caller falls back to im2col + sgemm. Without libdnnl, nil at
    /// once (one log line per process). A refusal of the shape is remembered (and logged
    /// once); a failure that may pass, such as running out of memory, is tried again next
    /// time.
    static func cached(_ key: Key) -> DNNLConvolution? {
        guard DNNLLibrary.isAvailable else {
            _ = unavailableLogged
            return nil
        }
        let injected = injectedFailures.withLock { failures -> Int32? in
            if case .creation(let status) = failures[key] { status } else { nil }
        }
        return cache.withLock { cache in
            if let made = cache.made[key] { return made }
            if cache.failed.contains(key) { return nil }
            var shape = key.shape
            var status: Int32 = 0
            var error = [CChar](repeating: 0, count: 256)
            let handle =
                injected == nil
                ? tb_dnnl_conv_create(
                    &shape, key.hasBias ? 1 : 0, key.relu ? 1 : 0, Int32(TB_DNNL_BLOCKED),
                    Int32(key.prefersWinograd ? TB_DNNL_WINOGRAD : TB_DNNL_DIRECT),
                    Int32(key.threads), &status, &error, error.count) : nil
            guard let handle else {
                let status = injected ?? status
                if tb_dnnl_conv_refused(status) != 0 {
                    if cache.failed.count >= cacheLimit { cache.failed.removeAll() }
                    cache.failed.insert(key)
                }
                let detail = injected == nil ? text(error) : "injected oneDNN status \(status)"
                log("\(key.description): \(detail)")
                return nil
            }
            if cache.made.count >= cacheLimit { cache.made.removeAll() }
            let made = DNNLConvolution(handle: handle, key: key)
            cache.made[key] = made
            return made
        }
    }

    /// The one line a process without libdnnl logs, on its first convolution that would have
    /// used oneDNN (every later one falls back to im2col silently).
    private static let unavailableLogged: Void = log(DNNLLibrary.loadError)

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The one line a failure leaves on standard error before the fallback runs.
    private static func log(_ detail: String) {
        FileHandle.standardError.write(
            Data(
                "Trainbook: oneDNN convolution unavailable, using im2col + sgemm: \(detail)\n".utf8)
        )
    }
}

extension DNNLConvolution.Key {
    /// The key of `g`'s convolution over `batch` images (a part of `g`'s batch).
    init(
        geometry g: WindowGeometry, batch: Int, outputs: Int, hasBias: Bool, relu: Bool,
        threads: Int
    ) {
        self.batch = batch
        channels = g.channels
        height = g.inputHeight
        width = g.inputWidth
        self.outputs = outputs
        kernel = g.kernel
        stride = g.stride
        padding = g.padding
        dilation = g.dilation
        outputHeight = g.outputHeight
        outputWidth = g.outputWidth
        self.hasBias = hasBias
        self.relu = relu
        self.threads = threads
    }
}
