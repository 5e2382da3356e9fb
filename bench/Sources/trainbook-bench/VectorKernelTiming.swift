import BenchSupport
import Foundation
import Tensor

/// The C vector kernels (`VectorKernels`) at the MLP's sizes, each level this machine runs
/// forced in turn, beside the Swift loop each replaced (kept here as it was): nanoseconds of
/// thread CPU time per element, the median of alternating rounds whose contestant order
/// rotates. One thread; CPU time, so other jobs on a shared machine count less.
enum VectorKernelTiming {
    /// One kernel's contestants on the same buffers: "swift" and one per level.
    struct Case {
        let name: String
        let elements: Int
        let swift: () -> Void
        let vector: () -> Void
    }

    static func measure(rounds: Int) -> [JSONLine] {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        let buffers = Buffers()
        let cases = buffers.cases()
        var lines: [JSONLine] = []
        for kernel in cases {
            let contestants =
                [("swift", kernel.swift)]
                + VectorKernels.availableLevels.map { level in
                    (
                        level.description,
                        {
                            VectorKernels.level = level
                            kernel.vector()
                        }
                    )
                }
            var samples = [String: [Double]]()
            for round in 0..<rounds {
                for offset in 0..<contestants.count {
                    let (name, body) = contestants[(round + offset) % contestants.count]
                    samples[name, default: []].append(
                        nanosecondsPerElement(kernel.elements, body))
                }
            }
            var line = JSONLine()
            line.add("event", "vector_kernel")
            line.add("kernel", kernel.name)
            line.add("elements", kernel.elements)
            line.add("supported_level", VectorKernels.supportedLevel.description)
            let swift = median(samples["swift"] ?? [])
            for (name, _) in contestants {
                let value = median(samples[name] ?? [])
                line.add("ns_per_element_\(name)", value)
                if name != "swift" { line.add("ratio_\(name)_to_swift", value / swift) }
            }
            lines.append(line)
        }
        return lines
    }

    /// Runs `body` repeatedly for at least 20 ms of thread CPU time; nanoseconds per element.
    private static func nanosecondsPerElement(_ elements: Int, _ body: () -> Void) -> Double {
        body()  // warm the caches and the level
        var repeats = 0
        let start = threadCPUSeconds()
        var elapsed = 0.0
        repeat {
            for _ in 0..<8 { body() }
            repeats += 8
            elapsed = threadCPUSeconds() - start
        } while elapsed < 0.02
        return elapsed * 1e9 / Double(repeats * elements)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// The buffers of one MLP step: the first layer's weight and Adam moments (100,352 values),
/// a 128 × 128 hidden activation and its gradient, and 128 random rows of 60,000 images of
/// 784 bytes.
private final class Buffers {
    let weights = 128 * 784
    let hidden = 128 * 128
    let rows = 128
    let imageSize = 784
    let images = 60_000
    let parameter: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    let firstMoment: UnsafeMutablePointer<Float>
    let secondMoment: UnsafeMutablePointer<Float>
    let activation: UnsafeMutablePointer<Float>
    let activationGradient: UnsafeMutablePointer<Float>
    let target: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>
    let pixels: UnsafeMutablePointer<UInt8>
    let batch: UnsafeMutablePointer<Float>
    let table: [Float]
    let order: [Int]

    init() {
        var generator = RandomGenerator(seed: 7)
        func floats(_ count: Int, _ range: ClosedRange<Float>) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for index in 0..<count { pointer[index] = Float.random(in: range, using: &generator) }
            return pointer
        }
        parameter = floats(weights, -0.1...0.1)
        gradient = floats(weights, -0.01...0.01)
        firstMoment = floats(weights, -0.001...0.001)
        secondMoment = floats(weights, 0...0.0001)
        activation = floats(hidden, -1...1)
        activationGradient = floats(hidden, -1...1)
        target = floats(hidden, 0...0)
        sums = floats(128, 0...0)
        batch = floats(rows * imageSize, 0...0)
        pixels = UnsafeMutablePointer<UInt8>.allocate(capacity: images * imageSize)
        for index in 0..<(images * imageSize) {
            pixels[index] = UInt8.random(in: 0...255, using: &generator)
        }
        table = (0..<256).map { (Float($0) / 255 - 0.2860) / 0.3530 }
        order = (0..<rows).map { _ in Int.random(in: 0..<60_000, using: &generator) }
    }

    // The Swift loops as they were before the C kernels, beside the calls that replaced them.
    func cases() -> [VectorKernelTiming.Case] {
        let (p, g, m, v) = (parameter, gradient, firstMoment, secondMoment)
        let (w1, w2, scale, epsilon): (Float, Float, Float, Float) = (0.1, 0.001, -1e-3, 1e-8)
        let count = weights
        let (y, dy, out, sums, hidden) = (activation, activationGradient, target, sums, hidden)
        let (pixels, batch, order, size) = (pixels, batch, order, imageSize)
        let table = table
        return [
            .init(
                name: "adam_step", elements: count,
                swift: {
                    for index in 0..<count {
                        let gradient = g[index]
                        let first = m[index] + w1 * (gradient - m[index])
                        let second = v[index] + w2 * (gradient * gradient - v[index])
                        m[index] = first
                        v[index] = second
                        p[index] = p[index] + scale * first / (second.squareRoot() + epsilon)
                    }
                },
                vector: {
                    VectorKernels.adamStep(
                        parameter: p, gradient: g, firstMoment: m, secondMoment: v,
                        count: count, firstWeight: w1, secondWeight: w2, scale: scale,
                        epsilon: epsilon)
                }),
            .init(
                name: "relu_forward_128x128", elements: hidden,
                swift: {
                    out.update(from: y, count: hidden)
                    for index in 0..<hidden { out[index] = out[index] > 0 ? out[index] : 0 }
                },
                vector: {
                    out.update(from: y, count: hidden)
                    VectorKernels.reluInPlace(out, count: hidden)
                }),
            .init(
                name: "relu_backward_128x128", elements: hidden,
                swift: { for index in 0..<hidden { out[index] = y[index] > 0 ? dy[index] : 0 } },
                vector: {
                    VectorKernels.reluBackward(gradient: dy, output: y, into: out, count: hidden)
                }),
            .init(
                name: "column_sums_128x128", elements: hidden,
                swift: {
                    sums.update(repeating: 0, count: 128)
                    var row = UnsafePointer(dy)
                    for _ in 0..<128 {
                        for column in 0..<128 { sums[column] += row[column] }
                        row += 128
                    }
                },
                vector: {
                    sums.update(repeating: 0, count: 128)
                    VectorKernels.addRows(dy, rowCount: 128, columns: 128, into: sums)
                }),
            .init(
                name: "gather_bytes_128x784", elements: order.count * size,
                swift: {
                    table.withUnsafeBufferPointer { values in
                        var target = batch
                        for row in order {
                            let start = pixels + row * size
                            for index in 0..<size { target[index] = values[Int(start[index])] }
                            target += size
                        }
                    }
                },
                vector: {
                    var target = batch
                    for row in order {
                        VectorKernels.bytesToFloats(
                            pixels + row * size, into: target, count: size, divisor: 255,
                            normalization: (0.2860, 0.3530))
                        target += size
                    }
                }),
        ]
    }
}
