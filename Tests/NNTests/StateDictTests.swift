import Testing

@testable import NN
@testable import Tensor

@Suite struct StateDictTests {
    func mlp(seed: UInt64) throws -> Sequential {
        try Sequential {
            Flatten()
            try Dense(784, 128, seed: seed)
            ReLU()
            try Dense(128, 10, seed: seed + 1)
        }
    }

    @Test func stateDictNamesAndShapesMatchDesign() throws {
        let state = try mlp(seed: 1).stateDict()
        #expect(state.keys.sorted() == ["1.bias", "1.weight", "3.bias", "3.weight"])
        #expect(state["1.weight"]?.shape == [128, 784])
        #expect(state["3.bias"]?.shape == [10])
    }

    @Test func loadingAStateDictReproducesTheModel() throws {
        let source = try mlp(seed: 1)
        let target = try mlp(seed: 7)
        let x = try sample([3, 1, 28, 28], seed: 2)
        #expect(try source(x).scalars != target(x).scalars)
        try target.load(stateDict: source.stateDict())
        #expect(try source(x).scalars == target(x).scalars)
    }

    @Test func batchNormBuffersTravelWithTheStateDict() throws {
        let source = try Sequential {
            try Dense(2, 3, seed: 1)
            try BatchNorm(3)
        }
        _ = try source(sample([4, 2], seed: 2))
        let state = source.stateDict()
        #expect(
            state.keys.sorted() == [
                "0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean",
                "1.running_var", "1.weight",
            ])
        #expect(state["1.num_batches_tracked"]?.dtype == .int32)
        #expect(state["1.num_batches_tracked"]?.shape == [])
        let target = try Sequential {
            try Dense(2, 3, seed: 5)
            try BatchNorm(3)
        }
        try target.load(stateDict: state)
        let norm = try #require(try target[1] as? BatchNorm)
        #expect(
            norm.runningMean.value.scalars
                == (try source[1] as? BatchNorm)?.runningMean.value.scalars)
        #expect(try norm.batchesTracked.value.scalars(as: Int32.self) == [1])
    }

    @Test func everyDifferenceIsNamedAndNothingIsChanged() throws {
        let model = try mlp(seed: 1)
        let before = model.stateDict()
        var state = try mlp(seed: 2).stateDict()
        state["1.weight"] = try Tensor.zeros([128, 700])
        state["3.bias"] = nil
        state["4.weight"] = try Tensor.zeros([1])
        state["3.weight"] = try Tensor.zeros([10, 128], dtype: .int32)
        do {
            try model.load(stateDict: state)
            Issue.record("expected a mismatch")
        } catch let error as NNError {
            guard case .stateDictMismatch(let differences) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(
                differences == [
                    .shapeMismatch(name: "1.weight", model: [128, 784], stateDict: [128, 700]),
                    .dtypeMismatch(name: "3.weight", model: .float32, stateDict: .int32),
                    .missing(name: "3.bias"),
                    .unexpected(name: "4.weight"),
                ])
            #expect(error.description.contains("'1.weight' has shape [128, 700] in the state dict"))
        }
        #expect(model.stateDict()["1.bias"]?.scalars == before["1.bias"]?.scalars)
    }

    @Test func nonStrictLoadingSkipsMissingAndUnexpectedButNotShapes() throws {
        let model = try mlp(seed: 1)
        let donor = try mlp(seed: 2)
        var state = donor.stateDict()
        state["3.weight"] = nil
        state["extra"] = Tensor(1)
        try model.load(stateDict: state, strict: false)
        #expect(model.stateDict()["1.weight"]?.scalars == state["1.weight"]?.scalars)
        state["1.bias"] = try Tensor.zeros([3])
        #expect(throws: NNError.self) { try model.load(stateDict: state, strict: false) }
    }

    @Test func loadingRespectsPruningMasks() throws {
        let layer = try Dense(2, 2, seed: 1)
        try layer.weight.setMask(Tensor([1, 0, 0, 1], shape: [2, 2]))
        try layer.load(stateDict: ["weight": Tensor.ones([2, 2]), "bias": Tensor.ones([2])])
        #expect(layer.weight.value.scalars == [1, 0, 0, 1])
    }

    @Test func architecturesRoundTripThroughJSON() throws {
        let model = try Sequential {
            try Conv2D(1, 4, kernelSize: 3, padding: .same, activation: .relu, seed: 1)
            try BatchNorm(4, momentum: nil)
            MaxPool2D(2)
            try Conv2D(4, 4, kernelSize: Size2D(height: 2, width: 3), stride: 2, dilation: 1)
            AvgPool2D(2, stride: 1)
            GlobalAvgPool()
            try Dropout(0.25)
            try Dense(4, 8, activation: .leakyRelu(slope: 0.2), regularizer: .l2(1e-4))
            try LayerNorm([8], epsilon: 1e-6)
            GELU()
            LeakyReLU(negativeSlope: 0.3)
            ActivationLayer(.softplus)
            try Dense(8, 3, useBias: false)
            Softmax()
        }
        let json = try model.architecture().jsonString()
        let decoded = try LayerArchitecture(json: json)
        #expect(decoded == (try model.architecture()))
        let rebuilt = try decoded.build()
        #expect(try rebuilt.architecture() == model.architecture())
        #expect(rebuilt.stateDict().keys.sorted() == model.stateDict().keys.sorted())
        try rebuilt.load(stateDict: model.stateDict())
        model.eval()
        rebuilt.eval()
        let x = try sample([2, 1, 12, 12], seed: 4)
        expectClose(try rebuilt(x).scalars, try model(x).scalars)
    }

    @Test func embeddingAndFlattenArchitectures() throws {
        let model = try Sequential {
            try Embedding(10, 4)
            Flatten(startAxis: 1)
        }
        let rebuilt = try LayerArchitecture(json: model.architecture().jsonString()).build()
        #expect(try rebuilt.architecture() == model.architecture())
    }

    @Test func unknownTypesNeedACustomBuilder() throws {
        let json = #"{"type":"Sequential","children":[{"type":"Residual"},{"type":"ReLU"}]}"#
        let architecture = try LayerArchitecture(json: json)
        #expect(throws: NNError.self) { try architecture.build() }
        let built = try architecture.build(customLayers: ["Residual": { _ in Flatten() }])
        #expect((built as? Sequential)?.count == 2)
        #expect(throws: NNError.self) { try LayerArchitecture(json: "{\"kind\": 1}") }
        let badOption = #"{"type":"Dense","options":{"inputSize":"four","outputSize":2}}"#
        #expect(throws: NNError.self) { try LayerArchitecture(json: badOption).build() }
    }

    @Test func layersWithoutADescriptionSaySo() throws {
        #expect(throws: NNError.self) { try ParameterLayer([1]).architecture() }
    }
}
