import Testing

@testable import Cell

/// Float32 values print with Float's shortest representation (`1e-05`), as PyTorch and NumPy
/// print float32, not with the float64 noise of an exact widening (`9.999999747378752e-06`).
@Suite struct Float32PrintingTests {
    static let values: [(Float, String)] = [
        (1e-5, "1e-05"),
        (1e-3, "0.001"),
        (3e-4, "0.0003"),
        (0.1, "0.1"),
        (0.09249147, "0.09249147"),
        (0.8765, "0.8765"),
        (1, "1.0"),
        (-2.5e-7, "-2.5e-07"),
        (Float(16_777_216) + 1, "16777216.0"),  // 16,777,217 rounds to even
        (Float.greatestFiniteMagnitude, "3.4028235e+38"),
        (Float.leastNonzeroMagnitude, "1e-45"),
        (-Float.infinity, "-inf"),
    ]

    @Test(arguments: values) func printsShortest(_ value: Float, _ expected: String) {
        let double = value.shortestDecimal
        #expect(String(describing: double) == expected)
        #expect(Float(double) == value)
    }

    @Test func notANumberStaysNotANumber() {
        #expect(Float.nan.shortestDecimal.isNaN)
    }

    static let cells: [(String, String)] = [
        ("Adam(learningRate: 1e-5).learningRate", "1e-05"),
        ("SGD(learningRate: 0.1).learningRate", "0.1"),
        ("Tensor([0.1, 0.7]).array", "[0.1, 0.7]"),
        ("Tensor([0.09249147]).item()", "0.09249147"),
        ("Tensor([1e-5]).scalar == 1e-5", "true"),
    ]

    @Test(arguments: cells) func cellValuesFromFloat32(_ code: String, _ expected: String) {
        #expect(CellHarness().run(code).result == expected)
    }
}
