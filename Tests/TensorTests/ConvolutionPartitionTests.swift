import Testing

@testable import Tensor

/// The convolution with its batch cut into parts that run on their own threads must equal the
/// one-part pass: the same outputs, the same input gradient, and weight and bias gradients
/// summed over the parts.
@Suite struct ConvolutionPartitionTests {
    func passes(
        parts: [Range<Int>], stride: Size2D, padding: Size2D
    ) throws -> (output: Tensor, input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let input = try sample([5, 3, 9, 8], seed: 301)
        let weight = try sample([4, 3, 3, 3], seed: 302) * 0.4
        let bias = try sample([4], seed: 303)
        let geometry = try WindowGeometry(
            input: input.shape, kernel: 3, stride: stride, padding: padding, dilation: 1,
            operation: "test")
        let convolution = Convolution(
            geometry: geometry, outputs: 4, input: input, weight: weight, hasBias: true,
            parts: parts)
        let output = try convolution.forward(bias: bias, activation: .relu)
        let upstream = try sample(output.shape, seed: 304)
        let gradients = try convolution.backward(
            upstream, output: output, activation: .relu, needs: (true, true, true))
        return (output, gradients.input, gradients.weight, gradients.bias)
    }

    @Test(arguments: [(Size2D(1), Size2D(1)), (Size2D(2), Size2D(0))])
    func partsEqualOnePass(stride: Size2D, padding: Size2D) throws {
        let whole = try passes(parts: [0..<5], stride: stride, padding: padding)
        let split = try passes(parts: [0..<1, 1..<4, 4..<5], stride: stride, padding: padding)
        #expect(whole.output.scalars == split.output.scalars)
        let pairs = [
            (whole.input, split.input), (whole.weight, split.weight), (whole.bias, split.bias),
        ]
        for (one, parted) in pairs {
            let one = try #require(one)
            let parted = try #require(parted)
            #expect(one.shape == parted.shape)
            expectClose(one.scalars, parted.scalars, tolerance: 1e-4)
        }
    }

    @Test func partitionsCoverTheBatchOnce() {
        let parts = Parallelism.partitions(count: 7, costPerItem: 1 << 20)
        #expect(parts.first?.lowerBound == 0)
        #expect(parts.last?.upperBound == 7)
        #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(parts.count == min(Parallelism.threadCount, 7))
        #expect(Parallelism.partitions(count: 7, costPerItem: 1) == [0..<7])
        #expect(Parallelism.partitions(count: 0, costPerItem: 1 << 20).isEmpty)
    }

    @Test func aFailingPartIsRethrown() {
        #expect(throws: TensorError.self) {
            try Parallelism.forEachPartition([0..<1, 1..<2]) { part, _ throws(TensorError) in
                if part == 1 { throw .invalidArgument(operation: "test", message: "part 1") }
            }
        }
    }
}
