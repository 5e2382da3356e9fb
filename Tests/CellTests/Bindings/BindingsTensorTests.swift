import Testing

@testable import Cell

/// Tensors in cells: creation, operators, subscripts, reductions, autodiff, errors.
@Suite struct BindingsTensorTests {
    @Test func nestedArraysBecomeTensorsOfTheirShape() {
        let harness = CellHarness()
        harness.run("let t = Tensor([[1, 2, 3], [4, 5, 6]])")
        #expect(harness.run("t.shape").result == "[2, 3]")
        #expect(harness.run("t.scalars").result == "[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]")
        #expect(harness.run("t.dtype").result == "float32")
        #expect(harness.run("Tensor(0..<4, dtype: .int32).scalars").result == "[0, 1, 2, 3]")
    }

    @Test func raggedArraysAreAnError() throws {
        let error = try #require(CellHarness().run("Tensor([[1, 2], [3]])").error)
        #expect(error.name == "ValueError")
        #expect(error.value.contains("ragged"))
    }

    @Test func arithmeticMixesIntsDoublesArraysAndTensors() {
        let harness = CellHarness()
        harness.run("let t = Tensor([1, 2, 3])")
        #expect(harness.run("(2 * t + 1).scalars").result == "[3.0, 5.0, 7.0]")
        #expect(harness.run("(5e-1 * t).scalars").result == "[0.5, 1.0, 1.5]")
        #expect(harness.run("(t - [1, 1, 1]).scalars").result == "[0.0, 1.0, 2.0]")
        #expect(harness.run("(t / 2).scalars").result == "[0.5, 1.0, 1.5]")
        #expect(harness.run("(-t).scalars").result == "[-1.0, -2.0, -3.0]")
        #expect(
            harness.run("var u = t\nu += 1\n(u.scalars, t.scalars)").result
                == "([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])")
    }

    @Test func comparisonsGiveMasksThatAverageToAnAccuracy() {
        let harness = CellHarness()
        harness.run("let predicted = Tensor([1, 2, 3, 4], dtype: .int32)")
        harness.run("let labels = Tensor([1, 0, 3, 0], dtype: .int32)")
        #expect(harness.run("(predicted == labels).mean().scalar").result == "0.5")
        #expect(harness.run("(predicted > 2).scalars").result == "[0.0, 0.0, 1.0, 1.0]")
    }

    @Test func subscriptsSliceLikeNumPy() {
        let harness = CellHarness()
        harness.run("let t = Tensor.arange(12).reshaped([3, 4])")
        #expect(harness.run("t[1].scalars").result == "[4.0, 5.0, 6.0, 7.0]")
        #expect(harness.run("t[1..<3, 2].scalars").result == "[6.0, 10.0]")
        #expect(harness.run("t[..., 0].scalars").result == "[0.0, 4.0, 8.0]")
        #expect(harness.run("t[-1, -1].scalar").result == "11.0")
        #expect(harness.run("t[nil].shape").result == "[1, 3, 4]")
        #expect(harness.run("t[0, 1...].scalars").result == "[1.0, 2.0, 3.0]")
        #expect(harness.run("t[[2, 0]].shape").result == "[2, 4]")
        #expect(harness.run("t[0, stride(from: 0, to: 4, by: 2)].scalars").result == "[0.0, 2.0]")
    }

    @Test func subscriptAssignmentWritesInPlaceWithValueSemantics() {
        let harness = CellHarness()
        harness.run("let a = Tensor.zeros([2, 2])\nvar b = a\nb[0, 1] = 5\nb[1] = Tensor([7, 8])")
        #expect(harness.run("b.scalars").result == "[0.0, 5.0, 7.0, 8.0]")
        #expect(harness.run("a.scalars").result == "[0.0, 0.0, 0.0, 0.0]")
    }

    @Test func outOfRangeIndexIsAnErrorNamingTheAxis() throws {
        let error = try #require(CellHarness().run("Tensor([1, 2])[5]").error)
        #expect(error.name == "IndexError")
        #expect(error.value.contains("index 5 is out of range for axis 0 of size 2"))
    }

    @Test func reductionsTakeOneAxisOrSeveral() {
        let harness = CellHarness()
        harness.run("let t = Tensor([[1, 2], [3, 4]])")
        #expect(harness.run("t.sum().scalar").result == "10.0")
        #expect(harness.run("t.sum(alongAxes: 0).scalars").result == "[4.0, 6.0]")
        #expect(harness.run("t.mean(alongAxes: [1], keepDims: true).shape").result == "[2, 1]")
        #expect(harness.run("t.argmax(alongAxis: 1).scalars").result == "[1, 1]")
        #expect(harness.run("mean(t).scalar").result == "2.5")
        #expect(harness.run("max(t, alongAxes: 0).scalars").result == "[3.0, 4.0]")
        #expect(harness.run("min(t).scalar").result == "1.0")
    }

    @Test func matmulShapeMismatchNamesBothShapes() throws {
        let harness = CellHarness()
        let error = try #require(
            harness.run("Tensor.ones([2, 3]).matmul(Tensor.ones([4, 5]))").error)
        #expect(error.name == "ShapeError")
        #expect(error.value.contains("[2, 3] and [4, 5]"))
        #expect(
            harness.run("matmul(Tensor.eye(2), Tensor([[1, 2], [3, 4]])).scalars").result
                == "[1.0, 2.0, 3.0, 4.0]")
    }

    @Test func mathFunctionsAcceptTensorsAndNumbers() {
        let harness = CellHarness()
        #expect(harness.run("exp(Tensor([0])).scalars").result == "[1.0]")
        #expect(harness.run("exp(0.0)").result == "1.0")
        #expect(harness.run("abs(Tensor([-2, 3])).scalars").result == "[2.0, 3.0]")
        #expect(harness.run("abs(-4)").result == "4")
        #expect(harness.run("max(Tensor([1, 5]), Tensor([3, 2])).scalars").result == "[3.0, 5.0]")
        #expect(harness.run("max(2, 7)").result == "7")
        #expect(harness.run("relu(Tensor([-1, 2])).scalars").result == "[0.0, 2.0]")
        #expect(harness.run("Double(Tensor(2.5))").result == "2.5")
    }

    @Test func gradientOfACellClosure() {
        let harness = CellHarness()
        #expect(harness.run("gradient(at: Tensor(3)) { x in x * x }.scalar").result == "6.0")
        harness.run("let (y, dy) = valueWithGradient(at: Tensor(2)) { x in x.pow(3) }")
        #expect(harness.run("(y.scalar, dy.scalar)").result == "(8.0, 12.0)")
        harness.run("let grads = gradient(at: [Tensor(2), Tensor(5)]) { a, b in a * b }")
        #expect(harness.run("grads.map { $0.scalar }").result == "[5.0, 2.0]")
    }

    @Test func withoutGradientRecordsNoTape() {
        let harness = CellHarness()
        // d/dx (x + x²) is 7 at 3; with x² computed off the tape only the 1 remains.
        #expect(harness.run("gradient(at: Tensor(3)) { x in x + x * x }.scalar").result == "7.0")
        let run = harness.run(
            "gradient(at: Tensor(3)) { x in x + withoutGradient { x * x } }.scalar")
        #expect(run.result == "1.0")
    }

    @Test func aFailingStatementLeavesTheSessionIntact() {
        let harness = CellHarness()
        harness.run("var t = Tensor([1, 2])")
        #expect(harness.run("t = t + 1\nt = t.matmul(Tensor([[1, 2, 3]]))").error != nil)
        #expect(harness.run("t.scalars").result == "[2.0, 3.0]")
    }

    @Test func hugeAllocationsAreRefusedByTheMemoryBudget() throws {
        let error = try #require(CellHarness().run("Tensor.zeros([100000, 100000])").error)
        #expect(error.name == "MemoryError")
    }

    @Test func seedMakesRandomTensorsRepeat() {
        let harness = CellHarness()
        harness.run("seed(42)\nlet a = Tensor.normal([3])\nseed(42)\nlet b = Tensor.normal([3])")
        #expect(harness.run("a.allClose(b)").result == "true")
        #expect(harness.run("a.allClose(Tensor.normal([3]))").result == "false")
    }
}
