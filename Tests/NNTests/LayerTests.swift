import Testing

@testable import NN
@testable import Tensor

@Suite struct LayerTests {
    /// DESIGN.md's example: names and layouts as torch's nn.Sequential(Flatten(), Linear(784,
    /// 128), ReLU(), Linear(128, 10)).
    @Test func sequentialNamesParametersLikePyTorch() throws {
        let model = try Sequential {
            Flatten()
            try Dense(784, 128, seed: 1)
            ReLU()
            try Dense(128, 10, seed: 2)
        }
        let names = model.namedParameters().map(\.name)
        #expect(names == ["1.weight", "1.bias", "3.weight", "3.bias"])
        let shapes = model.namedParameters().map(\.parameter.shape)
        #expect(shapes == [[128, 784], [128], [10, 128], [10]])
        #expect(model.parameterCount == 784 * 128 + 128 + 128 * 10 + 10)
        #expect(model.namedLayers().map(\.name) == ["", "0", "1", "2", "3"])
    }

    @Test func nestedSequentialNamesAreDotted() throws {
        let body = try Sequential {
            try Dense(4, 3, seed: 1)
            ReLU()
        }
        let model = try Sequential {
            body
            try Dense(3, 2, seed: 2)
        }
        #expect(
            model.namedParameters().map(\.name) == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"])
    }

    @Test func denseComputesTheAffineMapWithTheWeightLaidOutOutByIn() throws {
        let layer = try Dense(3, 2, activation: .relu)
        try layer.weight.assign(Tensor([1, 2, 3, -1, -2, -3], shape: [2, 3]))
        try layer.bias?.assign(Tensor([0.5, 1]))
        let x = try Tensor([1, 0, 2, 0, 1, 0], shape: [2, 3])
        // Row 1: [1+6+0.5, -1-6+1] = [7.5, -6] → relu → [7.5, 0]; row 2: [2.5, -1] → [2.5, 0].
        #expect(try layer(x).scalars == [7.5, 0, 2.5, 0])
        #expect(try layer(x).shape == [2, 2])
    }

    @Test func denseAcceptsLeadingBatchAxes() throws {
        let layer = try Dense(3, 2, seed: 4)
        let x = try sample([2, 5, 3], seed: 5)
        let y = try layer(x)
        #expect(y.shape == [2, 5, 2])
        let flat = try layer(x.reshaped([10, 3]))
        expectClose(y.scalars, flat.scalars)
    }

    @Test func denseRejectsAWrongInputSizeWithTheShapes() throws {
        let layer = try Dense(784, 128, seed: 1)
        do {
            _ = try layer(Tensor.zeros([32, 28, 28]))
            Issue.record("expected an error")
        } catch let error as NNError {
            #expect(
                error.description
                    == "Dense(784 → 128): expected an input whose last dimension is 784, "
                    + "got shape [32, 28, 28]")
        }
        #expect(throws: NNError.self) { try Dense(0, 3) }
    }

    @Test func pytorchDefaultInitialisationIsBoundedByOneOverRootFanIn() throws {
        let layer = try Dense(100, 50, seed: 3)
        let bound: Float = 1 / 10
        let weights = layer.weight.value.scalars
        #expect(weights.allSatisfy { Swift.abs($0) <= bound })
        // A uniform draw of 5000 values reaches close to both ends of its range.
        #expect(weights.max() ?? 0 > 0.09)
        #expect(weights.min() ?? 0 < -0.09)
        let biases = try #require(layer.bias).value.scalars
        #expect(biases.allSatisfy { Swift.abs($0) <= bound })
    }

    @Test func seedsMakeInitialisationReproducible() throws {
        let first = try Dense(8, 4, seed: 11)
        let second = try Dense(8, 4, seed: 11)
        let third = try Dense(8, 4, seed: 12)
        #expect(first.weight.value.scalars == second.weight.value.scalars)
        #expect(first.weight.value.scalars != third.weight.value.scalars)
    }

    @Test func flattenKeepsTheBatchAxis() throws {
        let x = try Tensor.zeros([2, 1, 28, 28])
        #expect(try Flatten()(x).shape == [2, 784])
        #expect(try Flatten(startAxis: 2)(x).shape == [2, 1, 784])
        #expect(throws: NNError.self) { try Flatten()(Tensor.zeros([5])) }
    }

    @Test func activationLayersApplyTheirFunction() throws {
        let x = try Tensor([-2, 0.5])
        #expect(try ReLU()(x).scalars == [0, 0.5])
        expectClose(try LeakyReLU(negativeSlope: 0.1)(x).scalars, [-0.2, 0.5])
        expectClose(try Tanh()(x).scalars, [Float(-0.964_027_6), 0.462_117_16])
        expectClose(try Sigmoid()(x).scalars, [0.119_202_92, 0.622_459_3])
        let probabilities = try Softmax()(Tensor([1, 2, 3], shape: [1, 3])).scalars
        // e^k / (e + e² + e³) for k = 1, 2, 3.
        expectClose(probabilities, [0.090_030_57, 0.244_728_47, 0.665_240_94])
        #expect(ReLU().typeName == "ReLU")
        #expect(ActivationLayer(.gelu).typeName == "Activation")
    }

    @Test func trainAndEvalReachEveryLayer() throws {
        let inner = try Sequential { try Dense(2, 2, seed: 1) }
        let model = Sequential {
            inner
            ReLU()
        }
        model.eval()
        #expect(model.namedLayers().allSatisfy { !$0.layer.isTraining })
        model.train()
        #expect(model.namedLayers().allSatisfy { $0.layer.isTraining })
        inner.isTraining = false
        model.evaluating {
            #expect(model.namedLayers().allSatisfy { !$0.layer.isTraining })
        }
        #expect(model.isTraining && !inner.isTraining)
    }

    @Test func freezingCountsAndIsReversible() throws {
        let model = try Sequential {
            try Dense(4, 3, seed: 1)
            try Dense(3, 2, seed: 2)
        }
        try model[0].freeze()
        #expect(model.parameterCount == 4 * 3 + 3 + 3 * 2 + 2)
        #expect(model.trainableParameterCount == 3 * 2 + 2)
        #expect(try model[0].isFrozen)
        #expect(!model.isFrozen)
        model.unfreeze()
        #expect(model.trainableParameterCount == model.parameterCount)
    }

    @Test func sequentialEditingForTransferLearning() throws {
        let first = try Dense(4, 3, seed: 1)
        let model = try Sequential {
            first
            ReLU()
            try Dense(3, 2, seed: 2)
        }
        let body = try model.dropLast()
        #expect(body.count == 2)
        #expect(try body[0] === first)
        let sliced = try model[0..<1]
        #expect(sliced.count == 1)
        try model.replace(at: -1, with: Dense(3, 5, seed: 3))
        #expect(try model(Tensor.zeros([1, 4])).shape == [1, 5])
        model.append(Softmax())
        try model.insert(Flatten(), at: 0)
        #expect(model.layers.map(\.typeName) == ["Flatten", "Dense", "ReLU", "Dense", "Softmax"])
        try model.remove(at: 0)
        try model.removeLast()
        #expect(model.count == 3)
    }

    @Test func sequentialIndexErrorsAreThrownNotTrapped() throws {
        let model = try Sequential { try Dense(2, 2, seed: 1) }
        #expect(throws: NNError.indexOutOfRange(container: "Sequential", index: 1, count: 1)) {
            try model[1]
        }
        #expect(throws: NNError.self) { try model[-2] }
        #expect(throws: NNError.self) { try model[0..<3] }
        #expect(throws: NNError.self) { try model.dropLast(2) }
        #expect(throws: NNError.self) { try model.insert(ReLU(), at: 5) }
    }

    @Test func resultBuilderSupportsConditionsAndLoops() throws {
        let deep = true
        let model = try Sequential {
            Flatten()
            for size in [8, 4] { try Dense(size * 2, size, seed: UInt64(size)) }
            if deep { ReLU() } else { Tanh() }
        }
        #expect(model.layers.map(\.typeName) == ["Flatten", "Dense", "Dense", "ReLU"])
    }

    @Test func sharedParametersAreListedOnce() throws {
        let shared = try Dense(3, 3, seed: 1)
        let model = Sequential {
            shared
            ReLU()
            shared
        }
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias"])
    }
}
