import Display
import Testing

@testable import Plot

@Suite struct ProgressThrottleTests {
    @Test func firstPassesThenAtMostOnePerInterval() {
        var throttle = ProgressThrottle(maximumUpdatesPerSecond: 4)
        let answers = [10.0, 10.1, 10.24, 10.25].map { throttle.shouldUpdate(at: $0) }
        #expect(answers == [true, false, false, true])
        let final = throttle.shouldUpdate(at: 10.26, isFinal: true)
        #expect(final)
    }

    @Test func updatesStayBoundedWhateverTheBatchRate() {
        var throttle = ProgressThrottle(maximumUpdatesPerSecond: 4)
        var shown = 0
        // 10,000 batches in 10 seconds, then the final state.
        for batch in 0..<10_000 where throttle.shouldUpdate(at: Double(batch) / 1000) {
            shown += 1
        }
        #expect(shown == 40)
        let final = throttle.shouldUpdate(at: 9.9995, isFinal: true)
        #expect(final)
    }

    @Test func oddClocksAndRatesDoNotBlock() {
        var backwards = ProgressThrottle()
        #expect([5.0, 1.0].map { backwards.shouldUpdate(at: $0) } == [true, true])
        var unlimited = ProgressThrottle(maximumUpdatesPerSecond: 0)
        #expect([1.0, 1.0].map { unlimited.shouldUpdate(at: $0) } == [true, true])
        var broken = ProgressThrottle()
        let notANumber = broken.shouldUpdate(at: .nan)
        let finalNotANumber = broken.shouldUpdate(at: .nan, isFinal: true)
        #expect(!notANumber && finalNotANumber)
    }
}

@Suite struct ProgressStateTests {
    /// Epoch 3 of 10, batch 120 of 469, 42 s in, 2,304 samples/s.
    static var midTraining: ProgressState {
        var state = ProgressState(title: "Training", epoch: 3, epochCount: 10, stepCount: 469)
        state.step = 120
        state.elapsed = 42
        state.samples = 96_768
        state.metrics = [ProgressMetric("loss", 0.41204), ProgressMetric("accuracy", 0.86101)]
        state.finishEpoch(with: [ProgressMetric("loss", 0.61), ProgressMetric("val_loss", 0.55)])
        state.finishEpoch(with: [ProgressMetric("loss", 0.47), ProgressMetric("val_loss", 0.49)])
        return state
    }

    @Test func fractionRemainingAndRate() throws {
        let state = Self.midTraining
        // (2 + 120/469) / 10 = 0.22559
        let fraction = try #require(state.fractionDone)
        #expect(abs(fraction - 0.225_586) < 1e-6)
        let remaining = try #require(state.remaining)
        #expect(abs(remaining - 42 * (1 - fraction) / fraction) < 1e-9)
        #expect(state.samplesPerSecond == 2304)
        #expect(state.history.map(\.name) == ["loss", "val_loss"])
        #expect(state.history[0].values == [0.61, 0.47])
    }

    @Test func unknownTotalsGiveNoEstimate() {
        var state = ProgressState(stepName: "trial")
        state.step = 7
        state.elapsed = 3
        #expect(
            state.fractionDone == nil && state.remaining == nil && state.samplesPerSecond == nil)
        #expect(state.line(width: 40) == "trial 7  0:03")
    }

    @Test func lineSnapshot() {
        // 120 columns leave a 31-column bar: 29 cells, 0.2256 · 29 = 6.54 → 6 full and ▌.
        let bar = "▕██████▌" + String(repeating: " ", count: 22) + "▏"
        #expect(
            Self.midTraining.line(width: 120)
                == "Training  epoch 3/10  \(bar)  120/469  0:42<2:24  2,304 samples/s  "
                + "loss 0.4120  accuracy 0.8610")
        // Narrower, the bar shrinks first, then the rate goes.
        #expect(TerminalWidth.columns(of: Self.midTraining.line(width: 100)) == 100)
        #expect(!Self.midTraining.line(width: 80).contains("samples/s"))
    }

    @Test func lineFitsEveryWidthKeepingStepsAndTime() {
        for width in 20...160 {
            let line = Self.midTraining.line(width: width)
            #expect(TerminalWidth.columns(of: line) <= width, "width \(width)")
            if width >= 40 {
                #expect(line.contains("120/469") && line.contains("0:42"), "width \(width)")
            }
        }
    }

    @Test func epochLineAndEndings() {
        var state = Self.midTraining
        #expect(
            state.epochLine(duration: 12.3)
                == "epoch 3/10  12.30 s  2,304 samples/s  loss 0.4120  accuracy 0.8610")
        state.phase = .interrupted
        #expect(state.line().contains("interrupted"))
        #expect(state.remaining == nil)
        state.phase = .failed("shape mismatch\nin layer 2")
        #expect(state.epochLine().hasSuffix("failed: shape mismatch in layer 2"))
    }

    @Test func barDrawsEighths() {
        #expect(ProgressState.bar(fraction: 0, width: 6) == "▕    ▏")
        #expect(ProgressState.bar(fraction: 0.5, width: 6) == "▕██  ▏")
        #expect(ProgressState.bar(fraction: 0.5625, width: 6) == "▕██▎ ▏")
        #expect(ProgressState.bar(fraction: 1, width: 6) == "▕████▏")
        #expect(ProgressState.bar(fraction: .nan, width: 6) == "▕    ▏")
    }

    @Test func htmlIsWellFormedWithCurvesFromTheSecondEpoch() throws {
        let html = Self.midTraining.html()
        let document = ParsedXML(html)
        try #require(document.isWellFormed, "\(document.error ?? "")")
        #expect(document.elements(named: "progress").first?.attributes["value"] == "0.2256")
        #expect(document.elements(named: "svg").count == 1)
        #expect(html.contains("2,304 samples/s"))
        var first = ProgressState(title: "Training", epoch: 1, epochCount: 10, stepCount: 10)
        first.finishEpoch(with: [ProgressMetric("loss", 1)])
        #expect(!first.html().contains("<svg"))
    }

    @Test func htmlKeepsRoomForTheCurvesFromTheFirstUpdate() throws {
        let room = "<div class=\"trainbook-curves\" style=\"height:190px\">"
        let first = ProgressState(title: "Training", epoch: 1, epochCount: 10, stepCount: 10)
        #expect(first.html().contains(room + "</div>"))
        let html = Self.midTraining.html()
        #expect(html.contains(room + "<svg"))
        let svg = try #require(ParsedXML(html).elements(named: "svg").first)
        #expect(svg.attributes["height"] == "190")
        // A single epoch never draws curves, so nothing is kept for them.
        let single = ProgressState(title: "Training", epoch: 1, epochCount: 1, stepCount: 10)
        #expect(!single.html().contains("trainbook-curves"))
        // Nor once a job stopped before it had curves.
        var stopped = first
        stopped.phase = .interrupted
        #expect(!stopped.html().contains("trainbook-curves"))
    }

    @Test func estimateCountsValidationBeforeTheFirstEpochEnds() throws {
        // Two epochs of 10 steps, validation as long as an epoch's steps, 1 s per step.
        var state = ProgressState(title: "Training", epoch: 1, epochCount: 2, stepCount: 10)
        state.epochEndWork = 1
        state.step = 5
        state.elapsed = 5
        // 5 s of steps and 10 s of validation in this epoch, then 20 s for the second.
        #expect(try #require(state.remaining) == 35)
        state.epochEndWork = 0
        #expect(try #require(state.remaining) == 15)
    }

    @Test func estimateUsesWholeTimedEpochsOnceOneHasEnded() throws {
        var state = ProgressState(title: "Training", epoch: 1, epochCount: 3, stepCount: 10)
        state.step = 10
        state.elapsed = 20
        state.finishEpoch(with: [ProgressMetric("loss", 1)], at: 20)
        #expect(try #require(state.remaining) == 40)
        state.epoch = 2
        state.step = 5
        state.elapsed = 25
        #expect(try #require(state.remaining) == 35)
        // Validation of the second epoch running: its steps are done, its end is not.
        state.step = 10
        state.elapsed = 38
        #expect(try #require(state.remaining) == 22)
    }

    @Test func curvesPairMetricsWithTheirValidation() throws {
        var state = Self.midTraining
        state.finishEpoch(with: [
            ProgressMetric("accuracy", 0.8), ProgressMetric("val_accuracy", 0.79),
        ])
        state.finishEpoch(with: [
            ProgressMetric("accuracy", 0.84), ProgressMetric("val_accuracy", 0.81),
        ])
        let chart = try #require(state.curvesChart())
        guard case .panels(let panels, let columns) = chart.content else {
            Issue.record("expected panels")
            return
        }
        #expect(columns == 2)
        #expect(panels.map(\.title) == ["loss", "accuracy"])
    }

    @Test func bundleHasTextAndHTML() {
        let bundle = Self.midTraining.mimeBundle(textWidth: 60)
        #expect(bundle.plainText == Self.midTraining.line(width: 60))
        #expect(bundle[.html]?.hasPrefix("<div class=\"trainbook-progress\">") == true)
    }
}

@Suite struct ProgressReporterTests {
    func state(epoch: Int, step: Int, phase: ProgressPhase = .running) -> ProgressState {
        var state = ProgressState(title: "Training", epoch: epoch, epochCount: 2, stepCount: 100)
        state.step = step
        state.elapsed = Double((epoch - 1) * 100 + step) / 100
        state.phase = phase
        return state
    }

    /// Two epochs of 100 batches, 100 batches per second, then the end.
    func run(_ reporter: inout ProgressReporter, phase: ProgressPhase = .finished)
        -> [ProgressOutput]
    {
        var outputs: [ProgressOutput] = []
        for epoch in 1...2 {
            for step in 1...100 {
                let time = Double((epoch - 1) * 100 + step) / 100
                outputs += reporter.outputs(
                    for: state(epoch: epoch, step: step), event: .step, at: time)
            }
            outputs += reporter.outputs(
                for: state(epoch: epoch, step: 100), event: .epochEnded, at: Double(epoch))
        }
        outputs += reporter.outputs(
            for: state(epoch: 2, step: 100, phase: phase), event: .finished, at: 2.001)
        return outputs
    }

    @Test func richShowsOnceThenUpdatesWithinTheThrottle() throws {
        var reporter = ProgressReporter(
            style: .rich, displayID: "fit-1", maximumUpdatesPerSecond: 4)
        let outputs = run(&reporter)
        guard case .display(_, let id) = try #require(outputs.first) else {
            Issue.record("the first output must be a display")
            return
        }
        #expect(id == "fit-1")
        let updates = outputs.dropFirst().filter {
            if case .update(_, "fit-1") = $0 { return true } else { return false }
        }
        #expect(updates.count == outputs.count - 1)
        // 2 seconds at 4 per second, plus the first and the final state.
        #expect(outputs.count <= 2 * 4 + 2)
        guard case .update(let last, _) = try #require(outputs.last) else { return }
        #expect(last.plainText?.contains("100/100") == true)
    }

    @Test func textRedrawsWithCarriageReturnsAndKeepsALinePerEpoch() {
        var reporter = ProgressReporter(style: .text, displayID: "fit-2", textWidth: 60)
        let texts = run(&reporter).compactMap { output -> String? in
            if case .text(let text) = output { return text }
            return nil
        }
        #expect(texts.allSatisfy { $0.hasPrefix("\r") })
        #expect(texts.filter { $0.hasSuffix("\n") }.count == 2)
        #expect(texts.count <= 2 * 4 + 2 + 1)
    }

    @Test func textPadsOverALongerPreviousLine() {
        var reporter = ProgressReporter(style: .text, displayID: "x", textWidth: 80)
        var long = state(epoch: 1, step: 1)
        long.metrics = [ProgressMetric("a_long_metric_name", 1)]
        let first = reporter.outputs(for: long, event: .step, at: 0)
        let second = reporter.outputs(for: state(epoch: 1, step: 2), event: .step, at: 1)
        guard case .text(let a) = first.first, case .text(let b) = second.first else {
            Issue.record("expected text")
            return
        }
        #expect(TerminalWidth.columns(of: b) == TerminalWidth.columns(of: a))
    }

    @Test func interruptedTextRunEndsItsLine() {
        var reporter = ProgressReporter(style: .text, displayID: "x")
        _ = reporter.outputs(for: state(epoch: 1, step: 5), event: .step, at: 0)
        let end = reporter.outputs(
            for: state(epoch: 1, step: 6, phase: .interrupted), event: .finished, at: 0.01)
        guard case .text(let text) = end.first, end.count == 1 else {
            Issue.record("expected one text output")
            return
        }
        #expect(text.hasPrefix("\r" + state(epoch: 1, step: 6, phase: .interrupted).line()))
        #expect(text.hasSuffix("\n"))
    }

    @Test func epochVerbosityPrintsOneLinePerEpoch() {
        var reporter = ProgressReporter(style: .rich, verbosity: .epochs, displayID: "x")
        let outputs = run(&reporter)
        #expect(outputs.count == 2)
        #expect(
            outputs.allSatisfy {
                if case .text(let line) = $0 { line.hasPrefix("epoch ") } else { false }
            })
    }

    @Test func silenceAndStyleNoneReportNothing() {
        var silent = ProgressReporter(style: .rich, verbosity: .silent, displayID: "x")
        #expect(run(&silent).isEmpty)
        var none = ProgressReporter(style: .none, displayID: "x")
        #expect(run(&none).isEmpty)
    }

    @Test func aRichDisplayIsShownOnceThenUpdatedUnderItsID() {
        var reporter = ProgressReporter(style: .rich, displayID: "fit-9")
        let first = reporter.outputs(for: state(epoch: 1, step: 1), event: .step, at: 0)
        let last = reporter.outputs(for: state(epoch: 1, step: 2), event: .finished, at: 0.01)
        let ids = (first + last).map { output -> String in
            switch output {
            case .display(_, let id): return "display \(id)"
            case .update(_, let id): return "update \(id)"
            case .text(let text): return "text \(text)"
            }
        }
        #expect(ids == ["display fit-9", "update fit-9"])
    }
}
