import Testing

@testable import Plot

/// What a person reading a chart notices (issue 12): whole-number ticks for whole-number data,
/// 4 to 7 labelled ticks on every axis, legends that do not cover the data, and the
/// learning-rate finder's curves kept in view.
@Suite struct ChartReadabilityTests {
    /// fit's live curves after two epochs: loss and accuracy panels, training and validation.
    static var twoEpochs: Chart {
        Chart.history(
            [
                MetricHistory(name: "loss", values: [0.612, 0.471]),
                MetricHistory(name: "accuracy", values: [0.781, 0.836]),
                MetricHistory(name: "val_loss", values: [0.553, 0.489]),
                MetricHistory(name: "val_accuracy", values: [0.803, 0.826]),
            ], panelWidth: 300, panelHeight: 190, maximumPanels: 3)
    }

    @Test func wholeNumberDataGetsWholeNumberTicks() {
        let axis = AxisPlanner.plan(
            scale: .linear, domain: (0.96, 2.04), start: 0, end: 240,
            orientation: .horizontal, integers: true)
        #expect(axis.ticks.map(\.label) == ["1", "2"])
        let wide = AxisPlanner.plan(
            scale: .linear, domain: (0.64, 10.36), start: 0, end: 240,
            orientation: .horizontal, integers: true)
        #expect(wide.ticks.allSatisfy { $0.value == $0.value.rounded() })
        #expect(AxisPlanner.areIntegers([1, 2, 3]))
        #expect(!AxisPlanner.areIntegers([1, 1.5]))
    }

    @Test func epochAxesOfTheLiveCurvesShowWholeEpochs() throws {
        let labels = texts(in: ChartLayout.scene(for: Self.twoEpochs))
        #expect(labels.contains("1") && labels.contains("2"))
        #expect(!labels.contains("1.5") && !labels.contains("1.0"), "\(labels)")
    }

    static let linearAxes: [(Double, Double, Double, AxisOrientation)] = [
        (0, 1, 120, .vertical), (0.42, 0.61, 130, .vertical), (0.781, 0.836, 130, .vertical),
        (-3, 250, 300, .vertical), (0, 1, 400, .vertical), (0, 1, 800, .vertical),
        (0.42, 0.61, 250, .horizontal), (-200_000, 1_000_000, 600, .horizontal),
        (0, 1, 900, .horizontal), (0.0003, 0.0071, 300, .horizontal),
    ]

    @Test(arguments: linearAxes)
    func linearAxesGetFourToSevenTicks(
        lower: Double, upper: Double, length: Double, orientation: AxisOrientation
    ) {
        let axis = AxisPlanner.plan(
            scale: .linear, domain: (lower, upper), start: 0, end: length,
            orientation: orientation)
        #expect(AxisPlanner.tickCountRange.contains(axis.ticks.count), "\(axis.ticks.map(\.label))")
    }

    static let logAxes: [(Double, Double, Double, AxisOrientation)] = [
        (1e-5, 10, 400, .horizontal), (1e-7, 10, 480, .horizontal), (0.5, 20, 200, .vertical),
        (1e-3, 1, 300, .vertical), (1, 3, 200, .vertical), (0.02, 0.9, 150, .vertical),
    ]

    @Test(arguments: logAxes)
    func logAxesGetFourToSevenTicks(
        lower: Double, upper: Double, length: Double, orientation: AxisOrientation
    ) {
        let axis = AxisPlanner.plan(
            scale: .log, domain: (lower, upper), start: 0, end: length, orientation: orientation)
        #expect(AxisPlanner.tickCountRange.contains(axis.ticks.count), "\(axis.ticks.map(\.label))")
    }

    @Test func legendGoesAboveThePlotWhenEveryCornerHasData() throws {
        // Two lines that cross, each running corner to corner: no inside corner is free.
        let chart = Chart.line(
            [
                LineSeries(name: "training", x: [1, 2, 3, 4, 5], y: [0.2, 0.4, 0.6, 0.8, 1.0]),
                LineSeries(name: "validation", x: [1, 2, 3, 4, 5], y: [1.0, 0.8, 0.6, 0.4, 0.2]),
            ], x: Axis(label: "epoch"))
        try expectLegendClearOfData(chart, named: ["training", "validation"])
        try Golden.check(chart.svg(), against: "legend-above.svg")
    }

    @Test func liveCurvesKeepTheirLegendsOffTheLines() throws {
        try expectLegendClearOfData(Self.twoEpochs, named: ["training", "validation"])
        try expectLegendClearOfData(Self.twoEpochs, named: ["loss", "val_loss"])
        try Golden.check(Self.twoEpochs.svg(), against: "history-two-epochs.svg")
    }

    @Test func finderCurvesAreClippedToLimitsThatIgnoreTheBlowUp() throws {
        let chart = Fixtures.learningRateSweep
        let scene = ChartLayout.scene(for: chart)
        let area = try #require(plotArea(of: scene))
        for point in dataPoints(in: scene) {
            #expect(area.insetBy(dx: -1, dy: -1).contains(point), "\(point) outside \(area)")
        }
        // The valley takes most of the height: the blow-up at the end does not squash it.
        let yValues = dataPoints(in: scene).map(\.y)
        let drawnHeight = (yValues.max() ?? 0) - (yValues.min() ?? 0)
        #expect(drawnHeight > area.height * 0.8)
        try Golden.check(chart.svg(), against: "learning-rate-finder.svg")
    }

    // MARK: - Scene helpers

    private func texts(in scene: Scene) -> [String] {
        scene.items.compactMap { if case .text(let run) = $0 { run.text } else { nil } }
    }

    /// The data lines: round-capped strokes.
    private func dataSegments(in scene: Scene) -> [(Point, Point)] {
        scene.items.flatMap { item -> [(Point, Point)] in
            guard case .path(let path) = item, path.stroke?.isRound == true else { return [] }
            return path.subpaths.flatMap { Array(zip($0, $0.dropFirst())) }
        }
    }

    private func dataPoints(in scene: Scene) -> [Point] {
        dataSegments(in: scene).flatMap { [$0.0, $0.1] }
    }

    /// The plot area: the bounding box of the grid and axis lines is close enough; here the
    /// largest rectangle drawn without fill that is not the legend.
    private func plotArea(of scene: Scene) -> Rect? {
        let strokes = scene.items.compactMap { item -> [Point]? in
            guard case .path(let path) = item, path.stroke?.isRound == false else { return nil }
            return path.subpaths.flatMap { $0 }
        }.flatMap { $0 }
        guard let minX = strokes.map(\.x).min(), let maxX = strokes.map(\.x).max(),
            let minY = strokes.map(\.y).min(), let maxY = strokes.map(\.y).max()
        else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    /// Each named legend entry's text, with its swatch, crosses no data line.
    private func expectLegendClearOfData(
        _ chart: Chart, named names: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let scene = ChartLayout.scene(for: chart)
        let segments = dataSegments(in: scene)
        for case .text(let run) in scene.items where names.contains(run.text) {
            let width = FontMetrics.width(of: run.text, size: run.size)
            let box = Rect(
                x: run.position.x - LegendLayout.swatchWidth - LegendLayout.swatchGap,
                y: run.position.y - run.size, width: width + LegendLayout.swatchWidth + 6,
                height: run.size * 1.3)
            for (start, end) in segments
            where SegmentClipper.clip(start, end, to: box) != nil {
                // The swatch itself is a short round-capped line inside the box: skip it.
                if abs(start.y - end.y) < 0.01 && abs(end.x - start.x) <= LegendLayout.swatchWidth {
                    continue
                }
                Issue.record(
                    "legend \(run.text) covers the data at \(start)–\(end)",
                    sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite struct TableTitleTests {
    @Test func titleStaysOnOneLineWithoutWideningTheTable() throws {
        let table = Table(
            title: "Fashion-MNIST train: 60,000 examples of shape [1, 28, 28]",
            columns: ["label", "share"], rows: [[0, "10%"]])
        let caption = try #require(ParsedXML(table.html()).elements(named: "caption").first)
        let style = caption.attributes["style"] ?? ""
        #expect(style.contains("white-space:nowrap") && style.contains("contain:inline-size"))
        #expect(style.contains("text-align:left"))
    }
}
