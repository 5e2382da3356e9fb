import Foundation
import Testing

@testable import Cell

/// Layers, Sequential, user struct layers, activations, regularizers and state in cells.
@Suite struct BindingsLayerTests {
    private func harnessWithModel() -> CellHarness {
        let harness = CellHarness()
        harness.run(
            """
            seed(1)
            var model = Sequential {
                Flatten()
                Dense(4, 8, activation: relu)
                Dense(8, 3)
            }
            """)
        return harness
    }

    @Test func sequentialBuilderNamesLayersAsPyTorch() {
        let harness = harnessWithModel()
        #expect(harness.run("model.count").result == "3")
        #expect(
            harness.run("Array(model.namedParameters().keys)").result
                == "[\"1.weight\", \"1.bias\", \"2.weight\", \"2.bias\"]")
        #expect(harness.run("model[1].weight.shape").result == "[8, 4]")
        #expect(harness.run("model.parameterCount").result == "67")
        #expect(harness.run("model(Tensor.ones([5, 2, 2])).shape").result == "[5, 3]")
    }

    @Test func summaryInfersTheInputOfALeadingDenseLayer() throws {
        let run = harnessWithModel().run("model.summary()")
        let text = try #require(run.result)
        #expect(text.contains("Dense(4 → 8, relu)  [1, 8]"))
        #expect(text.contains("Parameters: 67 (trainable 67, frozen 0)"))
    }

    @Test func indexingSlicingAndEditingShareLayers() {
        let harness = harnessWithModel()
        #expect(harness.run("model[-1]").result == "Dense(8 → 3)")
        #expect(harness.run("model[0..<2].count").result == "2")
        harness.run("let body = model.dropLast()\nbody[1].freeze()")
        #expect(harness.run("model.trainableParameterCount").result == "27")
        harness.run("model.replace(at: 2, with: Dense(8, 2))\nmodel.append(Softmax())")
        #expect(
            harness.run("model(Tensor.ones([1, 4])).sum().scalar").result.map {
                abs((Double($0) ?? 0) - 1) < 1e-5
            } == true)
        #expect(harness.run("model.count").result == "4")
        harness.run("model.unfreeze()")
        #expect(harness.run("model.isFrozen").result == "false")
    }

    @Test func activationsAreFunctionsImplicitMembersAndLayers() {
        let harness = CellHarness()
        #expect(harness.run("Dense(2, 2, activation: relu)").result == "Dense(2 → 2, relu)")
        #expect(harness.run("Dense(2, 2, activation: .gelu)").result == "Dense(2 → 2, gelu)")
        #expect(
            harness.run("Dense(2, 2, activation: .leakyRelu(slope: 0.2)).activation").result
                == "leakyRelu(0.2)")
        #expect(harness.run("Sequential { Dense(2, 2); relu }[1]").result == "ReLU()")
    }

    @Test func aClosureIsNotAnActivation() throws {
        let error = try #require(
            CellHarness().run("Dense(2, 2, activation: { x in x * 2 })").error)
        #expect(error.name == "TypeError")
        #expect(error.value.contains("Lambda"))
    }

    @Test func regularizersAttachToLayersAndPenalizeModels() {
        let harness = CellHarness()
        harness.run(
            """
            let layer = Dense(2, 2, regularizer: .l2(0.5))
            layer.weight.value = Tensor([[1, 2], [3, 4]])
            """)
        #expect(harness.run("layer.regularizationLoss().scalar").result == "15.0")
        #expect(harness.run("l2(layer).scalar").result == "30.0")
        #expect(harness.run("l1(Tensor([-1, 2])).scalar").result == "3.0")
    }

    @Test func userStructLayersExposeTheirStoredLayersAsChildren() {
        let harness = CellHarness()
        harness.run(
            """
            struct Residual: Layer {
                var inner = Dense(3, 3, activation: relu)
                var scale = Parameter(Tensor([2.0]))
                func callAsFunction(_ x) { x + scale.value * inner(x) }
            }
            let model = Sequential { Residual(); Dense(3, 1) }
            """)
        #expect(
            harness.run("Array(model.namedParameters().keys)").result
                == "[\"0.scale\", \"0.inner.weight\", \"0.inner.bias\", \"1.weight\", \"1.bias\"]")
        #expect(harness.run("model(Tensor.ones([4, 3])).shape").result == "[4, 1]")
        harness.run(
            "let (loss, grads) = valueWithGradient(of: model) { m in m(Tensor.ones([4, 3])).sum() }"
        )
        #expect(harness.run("grads.names.count").result == "5")
        #expect(harness.run("grads[\"0.scale\"]!.shape").result == "[1]")
    }

    @Test func aStructThatIsNotALayerIsRefusedWithAHint() throws {
        let harness = CellHarness()
        harness.run("struct Plain { var x = 1 }")
        let error = try #require(harness.run("Sequential { Plain() }").error)
        #expect(error.value.contains("struct Plain: Layer"))
    }

    @Test func lambdaLayersRunCellClosures() {
        let harness = CellHarness()
        harness.run("let model = Sequential { Lambda { x in x * 3 }; Flatten() }")
        #expect(
            harness.run("model(Tensor.ones([1, 2, 2])).scalars").result
                == "[3.0, 3.0, 3.0, 3.0]")
    }

    @Test func wrongInputShapeNamesTheLayer() throws {
        let error = try #require(harnessWithModel().run("model(Tensor.ones([2, 5]))").error)
        #expect(error.name == "ShapeError")
        #expect(error.value.contains("Dense(4 → 8)"))
    }

    @Test func convolutionAndPoolingLayers() {
        let harness = CellHarness()
        harness.run(
            """
            let cnn = Sequential {
                Conv2D(1, 4, kernelSize: 3, padding: .same, activation: relu)
                MaxPool2D(2)
                Flatten()
                Dense(16, 2)
            }
            """)
        #expect(harness.run("cnn(Tensor.ones([2, 1, 4, 4])).shape").result == "[2, 2]")
        #expect(harness.run("cnn[0].weight.shape").result == "[4, 1, 3, 3]")
    }

    @Test func stateDictsAndModelFilesRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bindings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.safetensors").path
        let harness = harnessWithModel()
        harness.run("let x = Tensor.normal([2, 4])\nmodel.save(to: \"\(path)\")")
        harness.run("let copy = loadModel(from: \"\(path)\")")
        #expect(harness.run("copy(x).allClose(model(x))").result == "true")
        harness.run(
            """
            let other = Sequential { Flatten(); Dense(4, 8, activation: relu); Dense(8, 3) }
            other.load(stateDict: model.stateDict())
            """)
        #expect(harness.run("other(x).allClose(model(x))").result == "true")
        let error = try #require(
            harness.run("Sequential { Dense(4, 2) }.load(stateDict: model.stateDict())").error)
        #expect(error.name == "ShapeError")
    }

    @Test func parametersAreSharedReferences() {
        let harness = CellHarness()
        harness.run(
            """
            let layer = Dense(2, 1)
            let w = layer.weight
            w.value = Tensor([[1, 1]])
            layer.bias.value = Tensor([0.5])
            """)
        #expect(harness.run("layer(Tensor([[2, 3]])).scalar").result == "5.5")
        harness.run("w.isFrozen = true")
        #expect(harness.run("layer.trainableParameterCount").result == "1")
    }
}
