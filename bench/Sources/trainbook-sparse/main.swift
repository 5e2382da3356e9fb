// trainbook-sparse: the sparse × dense product (`Tensor.sparseLinear`) against the dense one
// (`Tensor.linear`, OpenBLAS sgemm) on the same pruned weight, side by side: calls alternate
// between the two, and each line reports both medians and their ratio. Run by bench/run's
// "sparse-product" benchmark; `--calibrate` also prints the break-even densities that
// `SparseProductRule` encodes.
//
// Usage: trainbook-sparse [--quick] [--calibrate] [--threads N]
import BenchSupport
import Foundation
import Tensor

/// A weight shape: the tutorial MLP's first layer, and a square one.
let shapes: [(name: String, rows: Int, columns: Int)] = [
    ("784x128", 128, 784), ("1024x1024", 1024, 1024),
]

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// Median milliseconds of the dense and the sparse product, calls alternating.
func measure(rows: Int, columns: Int, sparsity: Double, batch: Int, calls: Int) throws
    -> (dense: Double, sparse: Double)
{
    var generator = RandomGenerator(seed: 1)
    let values = try Tensor.normal([rows, columns], using: &generator).scalars
    let draws = try Tensor.uniform([rows * columns], using: &generator).scalars
    let keep = draws.map { Double($0) >= sparsity }
    let masked = zip(values, keep).map { $1 ? $0 : 0 }
    let weight = try Tensor(masked, shape: [rows, columns])
    let sparse = SparseRows(masked, rows: rows, columns: columns) { keep[$0] }
    let bias = try Tensor.normal([rows], using: &generator)
    let x = try Tensor.normal([batch, columns], using: &generator)
    for _ in 0..<3 {
        _ = try Tensor.linear(x, weight: weight, bias: bias)
        _ = try Tensor.sparseLinear(x, weight: sparse, bias: bias)
    }
    var dense: [Double] = []
    var sparseTimes: [Double] = []
    for _ in 0..<calls {
        dense.append(try seconds { _ = try Tensor.linear(x, weight: weight, bias: bias) })
        sparseTimes.append(
            try seconds { _ = try Tensor.sparseLinear(x, weight: sparse, bias: bias) })
    }
    return (median(dense) * 1000, median(sparseTimes) * 1000)
}

func run() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    let quick = arguments.contains("--quick")
    BLAS.startUp()
    if let index = arguments.firstIndex(of: "--threads"), index + 1 < arguments.count,
        let threads = Int(arguments[index + 1])
    {
        Parallelism.threadCount = threads
        Parallelism.blasThreadCount = threads
    }
    let calls = quick ? 5 : 41
    for shape in quick ? Array(shapes.prefix(1)) : shapes {
        for sparsity in [0.8, 0.9, 0.95, 0.99] {
            for batch in [1, 256] {
                let (dense, sparse) = try measure(
                    rows: shape.rows, columns: shape.columns, sparsity: sparsity, batch: batch,
                    calls: calls)
                var line = JSONLine()
                line.add("event", "sparse_product")
                line.add("shape", shape.name)
                line.add("sparsity", sparsity)
                line.add("batch_size", batch)
                line.add("threads", Parallelism.threadCount)
                line.add("dense_median_ms", dense)
                line.add("sparse_median_ms", sparse)
                line.add("speedup", dense / sparse)
                let chosen = SparseProductRule.prefersSparse(
                    density: 1 - sparsity, batch: batch, outputs: shape.rows)
                line.add("rule_chooses", chosen ? "sparse" : "dense")
                line.print()
            }
        }
    }
    guard arguments.contains("--calibrate") else { return }
    let densities = [0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.02, 0.01, 0.005]
    for shape in shapes {
        for batch in [1, 8, 32, 256] {
            var breakEven = 0.0
            for density in densities {
                let (dense, sparse) = try measure(
                    rows: shape.rows, columns: shape.columns, sparsity: 1 - density,
                    batch: batch, calls: 21)
                if sparse < dense {
                    breakEven = density
                    break
                }
            }
            var line = JSONLine()
            line.add("event", "break_even")
            line.add("shape", shape.name)
            line.add("batch_size", batch)
            line.add("density", breakEven)
            line.print()
        }
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("trainbook-sparse: \(error)\n".utf8))
    exit(1)
}
