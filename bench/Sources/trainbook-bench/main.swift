// trainbook-bench: measured training workloads for the benchmarks (bench/), in release builds.
// It only wires the libraries together: load the data, build the model, fit with the test set
// as validation, and print one JSON line per epoch (training seconds, train loss, test
// accuracy, peak RSS) for the harness to compare with PyTorch.
import BenchSupport
import Foundation
import NN
import Tensor

func runBench() throws {
    let options = try BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    // OpenBLAS's kernels chosen before anything multiplies (or the choice rehearsed).
    let rehearsal = options.rehearseFrom.map { BLAS.rehearseStartUp(from: $0) }
    BLAS.startUp()
    if let threads = options.threads {
        Parallelism.threadCount = threads
        Parallelism.blasThreadCount = threads
    }
    RandomGenerator.seedDefault(options.seed)
    if options.workload == .blas {
        var line = JSONLine()
        line.add("event", "blas")
        if let rehearsal {
            line.add("rehearsed_from", options.rehearseFrom ?? "")
            line.add("rehearsal_core", rehearsal.core)
            line.add("rehearsal", rehearsal.summary)
        }
        line.add("library", BLAS.library)
        line.add("version", BLAS.version)
        line.add("configuration", BLAS.configuration)
        line.add("core", BLAS.selection.core)
        line.add("kernels", BLAS.selection.summary)
        line.add("cpu", CPUFeatures.current.model)
        line.add("cpu_flags", CPUFeatures.current.vectorFlags.joined(separator: " "))
        line.add("threads", Parallelism.threadCount)
        line.add("blas_threads", Parallelism.blasThreadCount)
        line.add("vector_kernels", VectorKernels.level.description)
        line.add("threads_per_core", CPUFeatures.current.threadsPerCore)
        line.add("physical_cores", Parallelism.physicalCores)
        line.add("description", BLAS.description)
        line.print()
        return
    }
    if options.workload == .sgemm {
        var line = JSONLine()
        line.add("event", "sgemm_baseline")
        line.add("workload", "mlp")
        line.add("batch_size", options.batchSize)
        line.add("threads", Parallelism.threadCount)
        line.add("blas", BLAS.description)
        line.add("blas_core", BLAS.selection.core)
        for repeat_ in 1...3 {
            let cpuStart = processCPUSeconds()
            let seconds = SgemmBaseline.mlpEpochSeconds(
                examples: 60_000, batchSize: options.batchSize)
            line.add("epoch_seconds_\(repeat_)", seconds)
            line.add("epoch_cpu_seconds_\(repeat_)", processCPUSeconds() - cpuStart)
        }
        line.print()
        return
    }
    if options.workload == .vector {
        for line in VectorKernelTiming.measure(rounds: max(options.epochs, 1)) { line.print() }
        return
    }
    if options.workload == .conv {
        let rounds = max(options.epochs, 1)
        for line in try ConvolutionTiming.measure(batchSize: options.batchSize, rounds: rounds) {
            line.print()
        }
        return
    }
    if options.workload == .forkjoin {
        for line in ForkJoinTiming.measure(rounds: max(options.epochs, 1)) { line.print() }
        return
    }
    if options.workload == .matmul {
        try LargeProduct.measure(size: options.size).print()
        return
    }
    let loadStart = ContinuousClock.now
    var (train, test) = try Workloads.data(options)
    if let limit = options.limit { train = train.prefix(limit) }
    if let limit = options.testLimit { test = test.prefix(limit) }
    let loadSeconds = secondsSince(loadStart)
    let model = try options.workload == .mlp ? BenchModels.mlp() : BenchModels.cnn()
    let optimizer = try Adam(learningRate: options.learningRate)

    var config = JSONLine()
    config.add("event", "config")
    config.add("workload", options.workload.rawValue)
    config.add("data", options.data.rawValue)
    config.add("train_examples", train.count)
    config.add("test_examples", test.count)
    config.add("epochs", options.epochs)
    config.add("batch_size", options.batchSize)
    config.add("learning_rate", Double(options.learningRate))
    config.add("seed", Int(truncatingIfNeeded: options.seed))
    config.add("threads", Parallelism.threadCount)
    config.add("blas_threads", Parallelism.blasThreadCount)
    config.add("blas", BLAS.description)
    config.add("vector_kernels", VectorKernels.level.description)
    config.add("parameters", model.parameterCount)
    config.add("load_seconds", loadSeconds)
    config.print()

    let history = try model.fit(
        train, epochs: options.epochs, batchSize: options.batchSize, optimizer: optimizer,
        validation: test, validationBatchSize: 1000,
        generator: RandomGenerator(seed: options.seed), observer: EpochPrinter())

    var summary = JSONLine()
    summary.add("event", "summary")
    summary.add("epochs", history.count)
    summary.add("train_seconds", history.epochs.reduce(0) { $0 + $1.trainingSeconds })
    summary.add(
        "mean_epoch_seconds",
        history.epochs.reduce(0) { $0 + $1.trainingSeconds } / Double(max(history.count, 1)))
    summary.add("final_test_accuracy", history["val_accuracy"].last ?? .nan)
    summary.add("final_test_loss", history["val_loss"].last ?? .nan)
    summary.add("peak_rss_bytes", peakResidentBytes())
    summary.print()
}

/// Prints each finished epoch as a JSON line, with the CPU seconds its training batches took,
/// in all threads and in the training thread alone (on a shared machine, CPU time is steadier
/// than wall time).
final class EpochPrinter: TrainingObserver {
    private var cpuAtEpochStart = 0.0
    private var trainingCPUSeconds = 0.0
    private var threadCPUAtEpochStart = 0.0
    private var trainingThreadCPUSeconds = 0.0
    /// Wall seconds of each batch of the epoch so far (from the previous batch's end).
    private var batchSeconds: [Double] = []
    private var lastBatchEnd = 0.0

    func observe(_ event: TrainingEvent) {
        switch event {
        case .epochBegan:
            cpuAtEpochStart = processCPUSeconds()
            threadCPUAtEpochStart = threadCPUSeconds()
            batchSeconds.removeAll(keepingCapacity: true)
            lastBatchEnd = 0
        case .batchEnded(let progress):
            batchSeconds.append(progress.elapsedSeconds - lastBatchEnd)
            lastBatchEnd = progress.elapsedSeconds
            guard progress.batch == progress.batchCount - 1 else { break }
            trainingCPUSeconds = processCPUSeconds() - cpuAtEpochStart
            trainingThreadCPUSeconds = threadCPUSeconds() - threadCPUAtEpochStart
        case .epochEnded(let record):
            printEpoch(record)
        default:
            break
        }
    }

    private func printEpoch(_ record: EpochRecord) {
        var line = JSONLine()
        line.add("event", "epoch")
        line.add("epoch", record.epoch + 1)
        line.add("seconds", record.trainingSeconds)
        line.add("cpu_seconds", trainingCPUSeconds)
        // The training thread's own CPU time: with several threads, what it still does itself.
        line.add("training_thread_cpu_seconds", trainingThreadCPUSeconds)
        // The 10th-percentile batch time, scaled to the epoch: on a shared machine, what
        // an epoch takes when no other job interrupts it (the batches are alike).
        let sorted = batchSeconds.sorted()
        if !sorted.isEmpty {
            line.add("batch_seconds_p10", sorted[sorted.count / 10])
            line.add("epoch_seconds_at_batch_p10", sorted[sorted.count / 10] * Double(sorted.count))
            line.add("batch_seconds_p1", sorted[sorted.count / 100])
        }
        line.add("samples_per_second", record.samplesPerSecond)
        line.add("train_loss", record.metrics["loss"] ?? .nan)
        line.add("train_accuracy", record.metrics["accuracy"] ?? .nan)
        line.add("test_loss", record.metrics["val_loss"] ?? .nan)
        line.add("test_accuracy", record.metrics["val_accuracy"] ?? .nan)
        line.add("eval_seconds", record.validationSeconds)
        line.add("peak_rss_bytes", peakResidentBytes())
        line.print()
    }
}

func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

do {
    try runBench()
} catch {
    FileHandle.standardError.write(Data("trainbook-bench: \(error)\n".utf8))
    exit(error is BenchError ? 2 : 1)
}
