import Testing

@testable import Plot

@Suite struct NiceStepTests {
    @Test(arguments: [
        (0.23, true, 2, -1), (0.37, true, 5, -1), (7.5, true, 1, 1), (1.49, true, 1, 0),
        (1.2, false, 2, 0), (5.0, false, 5, 0), (5.01, false, 1, 1), (0.0007, false, 1, -3),
    ])
    func heckbertRounding(x: Double, round: Bool, mantissa: Int, exponent: Int) {
        #expect(
            NiceStep.heckbert(x, round: round) == NiceStep(mantissa: mantissa, exponent: exponent))
    }

    @Test func ladderGoesOneTwoTwoAndAHalfFiveTen() {
        var step = NiceStep(mantissa: 1, exponent: -1)
        var values: [Double] = []
        var whole: [Bool] = []
        for _ in 0..<9 {
            values.append(step.value)
            whole.append(step.isWhole)
            step = step.larger
        }
        #expect(values == [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10])
        #expect(whole == [false, false, false, false, true, true, false, true, true])
    }

    @Test func twoAndAHalfStepsAreExactAndLabelledToTheirDecimals() throws {
        let step = NiceStep(mantissa: 25, exponent: -3)
        let ticks = try #require(step.multiples(from: 0.44, to: 0.53))
        #expect(ticks == [0.45, 0.475, 0.5, 0.525])
        #expect(
            ticks.map { TickLabel.linear($0, step: step, largest: 0.525) } == [
                "0.450", "0.475", "0.500", "0.525",
            ])
    }

    @Test func multiplesAreExactDecimals() throws {
        let ticks = try #require(
            NiceStep(mantissa: 1, exponent: -1).multiples(from: -0.04, to: 1.04))
        #expect(ticks == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    }

    @Test func multiplesRefuseRangesTooFarFromZero() {
        #expect(NiceStep(mantissa: 1, exponent: -3).multiples(from: 1e15, to: 1e15 + 1) == nil)
        #expect(NiceStep(mantissa: 1, exponent: 0).multiples(from: 0, to: 1e9) == nil)
    }
}

@Suite struct AxisPlannerTests {
    func labels(
        lower: Double, upper: Double, length: Double, _ orientation: AxisOrientation,
        scale: AxisScale = .linear
    ) -> [String] {
        AxisPlanner.plan(
            scale: scale, domain: (lower, upper), start: 0, end: length, orientation: orientation
        ).ticks.map(\.label)
    }

    @Test func unitIntervalOnATallAxisGetsAtMostSevenTicks() {
        // 400 px / 45 px per tick would be 8.9 ticks; at most 7: the step 0.2 (0.1 gives 11).
        #expect(
            labels(lower: 0, upper: 1, length: 400, .vertical)
                == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func shortAxisStillGetsFourTicksOrMore() {
        // 120 px would want 2.7 ticks; 0.5 gives only 3, and of 0.2 (6) and 0.25 (5) the
        // fewer are nearer.
        #expect(
            labels(lower: 0, upper: 1, length: 120, .vertical)
                == ["0.00", "0.25", "0.50", "0.75", "1.00"])
    }

    @Test func largeNumbersAreGroupedAndNegativesUseTheMinusSign() {
        // 600 px / 80 = 7.5 ticks; 1.2e6 / 6.5 = 184,615 rounds to 200,000.
        #expect(
            labels(lower: -200_000, upper: 1_000_000, length: 600, .horizontal)
                == [
                    "\u{2212}200,000", "0", "200,000", "400,000", "600,000", "800,000", "1,000,000",
                ])
    }

    @Test func hugeNumbersUseScientificNotation() {
        #expect(labels(lower: 1e9, upper: 3e9, length: 600, .horizontal).first == "1.0e9")
    }

    @Test func logAxisTicksAtDecadesWithSuperscripts() {
        #expect(
            labels(lower: 1e-4, upper: 0.1, length: 500, .horizontal, scale: .log)
                == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
    }

    @Test func logAxisNearOneWritesPlainNumbers() {
        #expect(
            labels(lower: 1, upper: 1000, length: 300, .vertical, scale: .log)
                == ["1", "10", "100", "1000"])
    }

    @Test func crowdedLogAxisSkipsDecades() {
        let ticks = labels(lower: 1e-12, upper: 1e12, length: 200, .horizontal, scale: .log)
        #expect(ticks.count < 25)
        #expect(ticks.count >= 2)
        #expect(ticks.contains("10⁰"))
    }

    @Test func shortLogRangeUsesOneTwoFive() {
        #expect(
            labels(lower: 0.15, upper: 9, length: 300, .vertical, scale: .log)
                == ["0.2", "0.5", "1", "2", "5"])
    }

    @Test func logRangeShorterThanOneTwoFiveGetsLinearTicks() {
        // 1-2-5 would label only 2 and 5.
        #expect(
            labels(lower: 1.5, upper: 9, length: 300, .vertical, scale: .log)
                == ["2", "4", "6", "8"])
    }

    @Test func logAxisHasMinorTicksBetweenDecades() {
        let axis = AxisPlanner.plan(
            scale: .log, domain: (1, 100), start: 0, end: 400, orientation: .horizontal)
        #expect(axis.minorTickPositions.count == 16)  // 2…9 and 20…90
    }

    @Test func longLabelsAreThinnedUntilTheyFit() {
        for length in stride(from: 80.0, through: 900, by: 37) {
            let axis = AxisPlanner.plan(
                scale: .linear, domain: (123_456.789, 123_459.1), start: 0, end: length,
                orientation: .horizontal)
            #expect(axis.ticks.count >= 1)
            #expect(AxisPlanner.fits(axis.ticks, orientation: .horizontal), "length \(length)")
        }
    }

    @Test func aFixedBoundKeepsOutliersFromWideningTheOtherSide() {
        // An LR sweep: losses near 2 with one explosion to 500, the view capped at 2.5.
        let linear = AxisPlanner.domain(of: [2.3, 2.1, 1.1, 500], axis: Axis(upperBound: 2.5))
        #expect(linear.upper == 2.5)
        #expect(linear.lower > 1.0 && linear.lower < 1.1)
        let log = AxisPlanner.domain(
            of: [1e-3, 1e-2, 1e6], axis: Axis(scale: .log, upperBound: 1))
        #expect(log.upper == 1)
        #expect(log.lower > 5e-4 && log.lower < 1e-3)
    }

    @Test func domainsPadDataAndAnchorCountsAtZero() {
        let padded = AxisPlanner.domain(of: [0, 10], axis: Axis())
        #expect(padded.lower == -0.4 && padded.upper == 10.4)
        let counts = AxisPlanner.domain(
            of: [3, 10], axis: Axis(), margin: 0.05, anchoredAtZero: true)
        #expect(counts.lower == 0 && counts.upper == 10.5)
        let fixed = AxisPlanner.domain(of: [0.2, 0.9], axis: Axis(lowerBound: 0, upperBound: 1))
        #expect(fixed.lower == 0 && fixed.upper == 1)
    }

    @Test func degenerateDomainsStillHaveWidth() {
        #expect(
            AxisPlanner.domain(of: [], axis: Axis()).upper
                > AxisPlanner.domain(of: [], axis: Axis()).lower)
        let single = AxisPlanner.domain(of: [5, 5, .nan, .infinity], axis: Axis())
        #expect(single.lower < 5 && single.upper > 5)
        let log = AxisPlanner.domain(of: [-1, 0], axis: Axis(scale: .log))
        #expect(log.lower > 0 && log.upper > log.lower)
    }
}
