import Foundation
import Testing

@testable import Tensor

@Suite struct SoftmaxTests {
    @Test func softmaxValues() throws {
        let x = try Tensor([1, 2, 3])
        expectClose(try x.softmax().scalars, [0.090_030_57, 0.244_728_47, 0.665_240_96])
        expectClose(try x.logSoftmax().scalars, [-2.407_605_9, -1.407_605_9, -0.407_605_9])
        let huge = try Tensor([1000, 1001, -1000])
        let p = try huge.softmax().scalars
        #expect(p.allSatisfy { $0.isFinite })
        expectClose(p, [0.268_941_4, 0.731_058_6, 0])
        let logP = try huge.logSoftmax().scalars
        #expect(logP.allSatisfy { $0.isFinite })
        // −log(1 + e^±1) to 1e-6: computing x − (max + log Σ) rounds the sum to float's
        // spacing near 1000 (6e-5) and misses by 2.9e-5.
        expectClose(Array(logP.prefix(2)), [-1.313_261_7, -0.313_261_7], tolerance: 1e-6)
    }

    @Test func softmaxAlongAnyAxis() throws {
        let m = try Tensor([1, 2, 3, 4], shape: [2, 2])
        let columns = try m.softmax(alongAxis: 0)
        #expect(columns.shape == [2, 2])
        expectClose(try columns.sum(alongAxes: [0]).scalars, [1, 1])
        expectClose(columns.scalars, [0.119_202_92, 0.119_202_92, 0.880_797, 0.880_797])
    }

    @Test func softmaxGradients() throws {
        let x = try sample([3, 4], seed: 61)
        try checkGradients(at: [x]) { p in try p[0].softmax() }
        try checkGradients(at: [x]) { p in try p[0].softmax(alongAxis: 0) }
        try checkGradients(at: [x]) { p in try p[0].logSoftmax() }
        try checkGradients(at: [x]) { p in try p[0].logSoftmax(alongAxis: 0) }
    }

    @Test func crossEntropyWithLabels() throws {
        let logits = try Tensor([1, 2, 3, 0, 0, 0], shape: [2, 3])
        let labels = try Tensor([2, 0] as [Int32], shape: [2])
        let losses = try Tensor.softmaxCrossEntropy(logits: logits, labels: labels)
        // -log softmax: row 1 at class 2, row 2 uniform.
        expectClose(losses.scalars, [0.407_605_9, Float(Foundation.log(3.0))])
        let x = try sample([4, 5], seed: 62)
        let y = try Tensor([0, 4, 2, 2] as [Int32], shape: [4])
        try checkGradients(at: [x]) { p in try Tensor.softmaxCrossEntropy(logits: p[0], labels: y) }
        try checkGradients(at: [x]) { p in
            try Tensor.softmaxCrossEntropy(logits: p[0], labels: y).mean()
        }
    }

    @Test func crossEntropyWithProbabilities() throws {
        let logits = try Tensor([1, 2, 3, 0, 0, 0], shape: [2, 3])
        let labels = try Tensor([2, 0] as [Int32], shape: [2])
        let hard = try Tensor.softmaxCrossEntropy(logits: logits, labels: labels)
        let soft = try Tensor.softmaxCrossEntropy(
            logits: logits, probabilities: Tensor.oneHot(labels, classCount: 3))
        expectClose(soft.scalars, hard.scalars)
        let x = try sample([3, 4], seed: 63)
        let targets = try sample([3, 4], seed: 64, positive: true).softmax()
        try checkGradients(at: [x, targets]) { p in
            try Tensor.softmaxCrossEntropy(logits: p[0], probabilities: p[1])
        }
    }

    @Test func crossEntropyRejectsBadLabels() throws {
        let logits = try Tensor.zeros([2, 3])
        #expect(throws: TensorError.self) {
            try Tensor.softmaxCrossEntropy(
                logits: logits, labels: Tensor([0, 3] as [Int32], shape: [2]))
        }
        #expect(throws: TensorError.self) {
            try Tensor.softmaxCrossEntropy(
                logits: logits, labels: Tensor([0] as [Int32], shape: [1]))
        }
        #expect(throws: TensorError.self) {
            try Tensor.softmaxCrossEntropy(
                logits: Tensor.zeros([3]), labels: Tensor([0] as [Int32], shape: [1]))
        }
    }
}
