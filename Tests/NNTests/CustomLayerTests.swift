import Testing

@testable import NN
@testable import Tensor

@Suite struct CustomLayerTests {
    /// DESIGN.md's `struct Residual: Layer { var inner = Dense(128, 128, activation: relu) … }`,
    /// as the cell bindings would adapt it (here 3 features).
    func residual(seed: UInt64) throws -> CustomLayer {
        let inner = try Dense(3, 3, activation: .tanh, seed: seed)
        return CustomLayer(
            typeName: "Residual", children: { [("inner", inner)] },
            architecture: { LayerArchitecture(type: "Residual", options: ["size": .int(3)]) },
            forward: { x in try x + inner(x) })
    }

    @Test func customLayersTakePartInNamesGradientsAndOptimizers() throws {
        let model = try Sequential {
            try residual(seed: 1)
            try Dense(3, 2, seed: 2)
        }
        #expect(
            model.namedParameters().map(\.name) == [
                "0.inner.weight", "0.inner.bias", "1.weight", "1.bias",
            ])
        let x = try sample([4, 3], seed: 3)
        let y = try Tensor([0, 1, 1, 0] as [Int32], shape: [4])
        try checkModelGradients(of: model) { m in try softmaxCrossEntropy(m(x), y) }
        let opt = try SGD(learningRate: 0.5)
        let before = try softmaxCrossEntropy(model(x), y).scalarized()
        for _ in 0..<20 {
            try opt.update(
                model, along: gradient(of: model) { m in try softmaxCrossEntropy(m(x), y) })
        }
        #expect(try softmaxCrossEntropy(model(x), y).scalarized() < before)
        model.eval()
        #expect(try !model[0].isTraining)
    }

    @Test func customLayersRebuildThroughABuilder() throws {
        let model = try Sequential {
            try residual(seed: 1)
            ReLU()
        }
        let architecture = try model.architecture()
        let rebuilt = try architecture.build(customLayers: [
            "Residual": { _ in try residual(seed: 9) }
        ])
        try rebuilt.load(stateDict: model.stateDict())
        let x = try sample([2, 3], seed: 4)
        #expect(try rebuilt(x).scalars == model(x).scalars)
        let opaque = CustomLayer(typeName: "Opaque") { $0 }
        #expect(throws: NNError.self) { try opaque.architecture() }
    }

    @Test func modelsPrintAsATree() throws {
        let model = try Sequential {
            Flatten()
            try Dense(784, 128, activation: .relu, seed: 1)
            try Sequential {
                try Dense(128, 10, seed: 2)
                Softmax()
            }
        }
        try model[1].freeze()
        #expect(
            model.description == """
                Sequential(
                  (0): Flatten()
                  (1): Dense(784 → 128, relu) [frozen]
                  (2): Sequential(
                    (0): Dense(128 → 10)
                    (1): Softmax()
                  )
                )
                """)
    }
}
