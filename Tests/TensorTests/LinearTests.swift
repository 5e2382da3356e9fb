import Testing

@testable import Tensor

@Suite struct LinearTests {
    @Test func linearIsMatmulWithTransposedWeightPlusBias() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let w = try Tensor([1, 0, -1, 2, 1, 0], shape: [2, 3])  // [out 2, in 3]
        let b = try Tensor([10, 20])
        let y = try Tensor.linear(x, weight: w, bias: b)
        #expect(y.shape == [2, 2])
        #expect(y.scalars == [8, 24, 8, 33])
        #expect(try Tensor.linear(x, weight: w).scalars == [-2, 4, -2, 13])
        let batch = try Tensor.linear(x.reshaped([2, 1, 3]), weight: w, bias: b)
        #expect(batch.shape == [2, 1, 2])
        #expect(throws: TensorError.self) { try Tensor.linear(x, weight: w.transposed()) }
        #expect(throws: TensorError.self) { try Tensor.linear(x, weight: w, bias: Tensor([1])) }
    }

    @Test func linearGradients() throws {
        let x = try sample([4, 3], seed: 71)
        let w = try sample([2, 3], seed: 72)
        let b = try sample([2], seed: 73)
        try checkGradients(at: [x, w, b]) { p in try Tensor.linear(p[0], weight: p[1], bias: p[2]) }
        try checkGradients(at: [x, w]) { p in try Tensor.linear(p[0], weight: p[1]) }
        try checkGradients(at: [w, b]) { p in
            try Tensor.linear(x.reshaped([2, 2, 3]), weight: p[0], bias: p[1])
        }
        try checkGradients(at: [b]) { p in try Tensor.linear(x, weight: w, bias: p[0]) }
    }

    @Test func fusedActivationsMatchTheSeparateOps() throws {
        let x = try sample([4, 3], seed: 74)
        let w = try sample([5, 3], seed: 75)
        let b = try sample([5], seed: 76)
        let affine = try Tensor.linear(x, weight: w, bias: b)
        let cases: [(FusedActivation, Tensor)] = [
            (.relu, try affine.relu()), (.leakyRelu(slope: 0.1), try affine.leakyRelu(slope: 0.1)),
            (.tanh, try affine.tanh()), (.sigmoid, try affine.sigmoid()),
        ]
        for (activation, expected) in cases {
            let fused = try Tensor.linear(x, weight: w, bias: b, activation: activation)
            expectClose(fused.scalars, expected.scalars)
        }
        #expect(throws: TensorError.self) {
            try Tensor.linear(x, weight: w, activation: .leakyRelu(slope: 0))
        }
    }

    @Test(arguments: [
        FusedActivation.relu, .leakyRelu(slope: 0.2), .tanh, .sigmoid,
    ])
    func fusedActivationGradients(_ activation: FusedActivation) throws {
        // |x·wᵀ| ≤ 3 · 0.36² < 0.39 and |b| ≥ 0.6, so every output stays > 0.2 away from the
        // ReLU kink, far beyond a finite-difference step's reach.
        let x = try sample([4, 3], seed: 81) * 0.3
        let w = try sample([5, 3], seed: 82) * 0.3
        let b = try sample([5], seed: 83) * 3
        try checkGradients(at: [x, w, b]) { p in
            try Tensor.linear(p[0], weight: p[1], bias: p[2], activation: activation)
        }
        try checkGradients(at: [w, b]) { p in
            try Tensor.linear(
                x.reshaped([2, 2, 3]), weight: p[0], bias: p[1], activation: activation)
        }
    }

    @Test func biasGradientIsTheColumnSum() throws {
        let g = try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        #expect(try Tensor.columnSums(of: g).scalars == [9, 12])
        #expect(try Tensor.columnSums(of: g.transposed()).scalars == [3, 7, 11])
    }
}
