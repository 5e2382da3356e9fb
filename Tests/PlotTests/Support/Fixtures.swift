import Foundation

@testable import Plot

/// Charts used by several tests, built from fixed numbers (no randomness).
enum Fixtures {
    static let epochs = (1...10).map(Double.init)
    static let trainLoss = [0.92, 0.61, 0.52, 0.47, 0.44, 0.41, 0.39, 0.37, 0.36, 0.35]
    static let validationLoss = [0.70, 0.56, 0.50, 0.48, 0.46, 0.45, 0.45, 0.44, 0.44, 0.45]

    static var lossChart: Chart {
        Chart.line(
            [
                LineSeries(name: "train", x: epochs, y: trainLoss),
                LineSeries(name: "validation", x: epochs, y: validationLoss, marker: .circle),
            ], title: "Loss", x: Axis(label: "epoch"), y: Axis(label: "loss"))
    }

    static var barChart: Chart {
        get throws {
            try Chart.bar(
                categories: ["dense", "pruned 90%", "int8"],
                series: [
                    BarSeries(name: "accuracy", values: [0.884, 0.871, 0.879]),
                    BarSeries(name: "F1", values: [0.87, 0.85, 0.86]),
                ], title: "Compression", valueAxis: Axis(label: "score"))
        }
    }

    static var confusionChart: Chart {
        get throws {
            let counts = [[50, 2, 1], [3, 45, 6], [0, 4, 51]]
            return Chart.heatmap(
                try Heatmap.confusionMatrix(counts, classNames: ["cat", "dog", "bird"]),
                title: "Confusion <matrix> & \"friends\"")
        }
    }

    /// A 4×4 grey checkerboard, 0 and 255.
    static var checkerboard: ImagePixels {
        get throws {
            let samples = (0..<16).map { index -> UInt8 in
                (index / 4 + index % 4) % 2 == 0 ? 0 : 255
            }
            return try ImagePixels(width: 4, height: 4, channels: 1, samples: samples)
        }
    }

    static var imageChart: Chart {
        get throws {
            let board = try checkerboard
            return Chart.images(
                ImageGrid(images: [
                    GridImage(pixels: board, caption: "7"),
                    GridImage(pixels: board, caption: "pred 3 (true 5)", isHighlighted: true),
                ]), title: "Samples")
        }
    }
}

extension Fixtures {
    /// A learning-rate range test of 60 steps from 1e-5 to 10: flat near 2.3, a descent to
    /// about 1.4 near 0.1, then a blow-up to 40; the raw loss swings around the smoothed one.
    static var learningRateSweep: Chart {
        let steps = 60
        let rates = (0..<steps).map { 1e-5 * pow(1e6, Double($0) / Double(steps - 1)) }
        let losses = rates.enumerated().map { index, rate -> Double in
            let swing = 0.04 * sin(Double(index) * 2.1)
            let descent = 0.9 / (1 + pow(0.08 / rate, 2))
            let blowUp = rate > 0.3 ? pow(rate / 0.3, 3) * 4 : 0
            return 2.3 + swing - descent + blowUp
        }
        var smoothed: [Double] = []
        var average = 0.0
        for (index, loss) in losses.enumerated() {
            average = 0.9 * average + 0.1 * loss
            smoothed.append(average / (1 - pow(0.9, Double(index + 1))))
        }
        return Chart.learningRateSweep(
            rates: rates, losses: losses, smoothed: smoothed, suggestion: 0.02)
    }
}
