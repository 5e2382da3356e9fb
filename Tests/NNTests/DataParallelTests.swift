import Testing

@testable import NN
@testable import Tensor

/// A group of two in one process: the other rank's values are twice this rank's, so a mean
/// is 1.5 × the values and a sum 3 ×. It records the size of every allreduce and whether it
/// came through the in-place form, and the size of every one started without waiting (run, as
/// without non-blocking collectives, when waited for).
final class DoublingCommunicator: Communicator {
    var rank: Int { 0 }
    var size: Int { 2 }
    var calls: [(count: Int, inPlace: Bool)] = []
    var started: [Int] = []
    /// The address of each `allReduce(_:into:)` call's source, in call order.
    var sources: [UnsafeRawPointer?] = []
    /// Each `allReduce(agreedParts:into:)` call's parts: their addresses and sizes.
    var agreedParts: [[(address: UnsafeRawPointer?, count: Int)]] = []
    /// How many times `allGather` ran, and the other rank's bucket plan (nil: the same as this
    /// rank's), which its plan comparisons and gathers see.
    var gathers = 0
    var otherRankPlan: [[Int]]?
    /// How many bucket plan comparisons (max-allreduces, run at once) were started.
    var planChecks = 0

    func barrier(interrupted: () -> Bool) throws(CommunicationError) {}

    func allReduce(_ values: inout [Float], op: ReductionOperation, interrupted: () -> Bool)
        throws(CommunicationError)
    {
        calls.append((values.count, false))
        for index in values.indices { values[index] = reduce(values[index], op) }
    }

    func allReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        calls.append((values.count, true))
        for index in values.indices { values[index] = reduce(values[index], op) }
    }

    func allReduce(
        _ source: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError) {
        sources.append(source.baseAddress.map { UnsafeRawPointer($0) })
        _ = result.update(fromContentsOf: source)
        try allReduce(result, owner: owner, op: op, interrupted: interrupted)
    }

    func allReduce(
        agreedParts parts: [UnsafeBufferPointer<Float>],
        into result: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        agreedParts.append(parts.map { (UnsafeRawPointer($0.baseAddress), $0.count) })
        try result.assign(concatenating: parts)
        try allReduce(result, owner: owner, op: op, interrupted: interrupted)
    }

    func startAllReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation
    ) throws(CommunicationError) -> any PendingCollective {
        if op == .max, values.count == 4 {
            // A bucket plan's comparison, finished at once: the other rank's digest floats.
            planChecks += 1
            let digest = otherRankPlan.map(BucketPlanCheck.digest(of:))
            if let digest {
                let (high, low) = (Float(digest >> 24 & 0xFF_FFFF), Float(digest & 0xFF_FFFF))
                for (index, other) in [high, low, -high, -low].enumerated() {
                    values[index] = max(values[index], other)
                }
            }
            return Finished()
        }
        started.append(values.count)
        return DeferredReduction(communicator: self, values: values, owner: owner, op: op)
    }

    private func reduce(_ value: Float, _ op: ReductionOperation) -> Float {
        switch op {
        case .sum: return 3 * value
        case .mean: return 1.5 * value
        case .max: return 2 * value
        }
    }

    func broadcast(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)
    {}

    func allGather(_ bytes: [UInt8], interrupted: () -> Bool) throws(CommunicationError)
        -> [[UInt8]]
    {
        gathers += 1
        return [bytes, otherRankPlan.map(BucketPlanCheck.encoded) ?? bytes]
    }

    /// A collective that has finished.
    final class Finished: PendingCollective {
        func progress() throws(CommunicationError) -> Bool { true }
        func wait(interrupted: () -> Bool) throws(CommunicationError) {}
    }
}

/// Gradient averaging: in place for a gradient that fills a bucket alone, gathered for small
/// ones, and the same means whatever the bucket size.
@Suite struct DataParallelTests {
    static func gradients() throws -> (Gradients, [[Float]]) {
        let model = try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
        let x = try Tensor((0..<12).map { Float($0) / 7 }, shape: [2, 6])
        let (_, grads) = try valueWithGradient(of: model) { m in try (m(x) * m(x)).sum() }
        return (grads, grads.entries.map(\.gradient.scalars))
    }

    @Test(arguments: [1, 5, 15, 30, 1000])
    func everyGradientBecomesItsMeanWhateverTheBuckets(bucket: Int) throws {
        var (grads, before) = try Self.gradients()
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: bucket)
        try parallel.averageGradients(&grads, interrupted: { false })
        for (entry, original) in zip(grads.entries, before) {
            #expect(entry.gradient.scalars == original.map { 1.5 * $0 })
        }
        #expect(communicator.calls.allSatisfy { $0.inPlace })
        #expect(communicator.calls.map(\.count).reduce(0, +) == before.map(\.count).reduce(0, +))
    }

    @Test func bucketsGroupSmallGradientsAndLeaveLargeOnesAlone() throws {
        var (grads, before) = try Self.gradients()
        #expect(before.map(\.count) == [30, 5, 15, 3])
        let communicator = DoublingCommunicator()
        try DataParallel(communicator: communicator, bucketElements: 20)
            .averageGradients(&grads, interrupted: { false })
        // 30 alone (in its own storage), then 5 + 15, then 3.
        #expect(communicator.calls.map(\.count) == [30, 20, 3])
    }

    /// The overlapped reduction of one step of the `gradients()` model: the gradients and the
    /// reduction's events.
    static func overlappedStep(bucket: Int) throws -> (
        Gradients, [[Float]], [String], [Int], started: [Int]
    ) {
        let model = try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
        let x = try Tensor((0..<12).map { Float($0) / 7 }, shape: [2, 6])
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: bucket)
        let reduction = try parallel.beginStep(
            of: model, batchesPerUpdate: 1, interrupted: { false })
        var (_, grads) = try valueWithGradient(of: model, observer: reduction.backwardObserver) {
            m in
            try (m(x) * m(x)).sum()
        }
        let before = grads.entries.map(\.gradient.scalars)
        try reduction.finish(&grads, interrupted: { false })
        return (
            grads, before, parallel.lastStepEvents, communicator.calls.map(\.count),
            communicator.started
        )
    }

    @Test(arguments: [1, 5, 15, 30, 1000])
    func overlappedStepsAverageEveryGradientWhateverTheBuckets(bucket: Int) throws {
        let (grads, before, _, counts, _) = try Self.overlappedStep(bucket: bucket)
        for (entry, original) in zip(grads.entries, before) {
            #expect(entry.gradient.scalars == original.map { 1.5 * $0 })
            #expect(entry.parameter.gradient?.scalars == original.map { 1.5 * $0 })
        }
        #expect(counts.reduce(0, +) == before.map(\.count).reduce(0, +))
    }

    @Test func overlappedBucketsStartInReverseOrderBeforeBackwardEnds() throws {
        // Parameters 30, 5 (first layer), 15, 3 (second): buckets of 20 in reverse order are
        // [3, 15], [5], [30]; the second layer's bucket is full after its own backward rule,
        // before the first layer's gradients exist.
        let (_, _, events, counts, started) = try Self.overlappedStep(bucket: 20)
        #expect(counts == [18, 5, 30])
        // Bucket 0's allreduce starts before backward has computed the first layer's gradients.
        let first = try #require(events.firstIndex(of: "bucket 0 started"))
        let firstLayer = try #require(events.firstIndex(of: "gradient 0 complete"))
        let ended = try #require(events.firstIndex(of: "backward ended"))
        #expect(first < firstLayer)
        #expect(firstLayer < ended)
        #expect(events.filter { $0.hasSuffix("started") } == (0..<3).map { "bucket \($0) started" })
        #expect(
            Set(events.filter { $0.hasSuffix("reduced") })
                == Set((0..<3).map { "bucket \($0) reduced" }))
        // The last bucket (the first layer's weights, complete when backward is all but over)
        // is not started without waiting: `finish` reduces it at once, after the others.
        #expect(started == [18, 5])
        #expect(events.suffix(2) == ["bucket 2 started", "bucket 2 reduced"])
        #expect(try #require(events.firstIndex(of: "bucket 2 started")) > ended)
    }

    /// With one bucket (the default size holds these gradients whole) nothing is started
    /// during backward: the one allreduce runs in `finish`, through the waiting form, into one
    /// new tensor whose views become the gradients (nothing copied back).
    @Test func aSingleBucketIsReducedAfterBackwardWithoutStartingIt() throws {
        let (grads, before, events, counts, started) = try Self.overlappedStep(bucket: 1000)
        #expect(started.isEmpty)
        #expect(counts == [53])
        #expect(events.suffix(3) == ["backward ended", "bucket 0 started", "bucket 0 reduced"])
        for (entry, original) in zip(grads.entries, before) {
            #expect(entry.gradient.scalars == original.map { 1.5 * $0 })
            #expect(entry.gradient.storage === grads.entries[0].gradient.storage)
            #expect(entry.parameter.gradient?.storage === grads.entries[0].gradient.storage)
        }
    }

    /// The last bucket is reduced from the gradients where backward left them (no copy into a
    /// bucket first), through the form without a handshake, into new tensors at every step: the
    /// means are the step's own gradients', never a previous step's.
    @Test func theLastBucketIsReducedFromTheGradientsWhereBackwardLeftThem() throws {
        let model = try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
        let x = try Tensor((0..<12).map { Float($0) / 7 }, shape: [2, 6])
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 20)
        var steps: [(Gradients, [[Float]])] = []
        for scale in [Float(1), 2] {
            let reduction = try parallel.beginStep(
                of: model, batchesPerUpdate: 1, interrupted: { false })
            var (_, grads) = try valueWithGradient(
                of: model, observer: reduction.backwardObserver
            ) { m in try (m(x * scale) * m(x * scale)).sum() }
            let raw = grads.entries.map(\.gradient.scalars)
            // The first layer's weight (30 floats) is the last bucket, alone.
            let weight = try grads.entries[0].gradient.withElements(of: Float.self) {
                UnsafeRawPointer($0.baseAddress)
            }
            try reduction.finish(&grads, interrupted: { false })
            steps.append((grads, raw))
            let parts = try #require(communicator.agreedParts.last)
            #expect(parts.map(\.count) == [30])
            #expect(parts.first?.address == weight)
        }
        #expect(communicator.agreedParts.count == 2)
        #expect(communicator.sources.isEmpty)  // never the form with a handshake
        for (grads, raw) in steps {
            for (entry, original) in zip(grads.entries, raw) {
                #expect(entry.gradient.scalars == original.map { 1.5 * $0 })
            }
        }
        #expect(steps[0].1[0] != steps[1].1[0])
        #expect(steps[0].0.entries[0].gradient.storage !== steps[1].0.entries[0].gradient.storage)
    }

    /// The two-layer model of these tests (53 parameters: [30, 5, 15, 3]).
    static func twoLayers() throws -> Sequential {
        try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
    }

    /// One overlapped step of `model` over `parallel` (the loss: the sum of squared outputs).
    static func step(_ parallel: DataParallel, _ model: Sequential) throws {
        let x = try Tensor((0..<12).map { Float($0) / 7 }, shape: [2, 6])
        let reduction = try parallel.beginStep(
            of: model, batchesPerUpdate: 1, interrupted: { false })
        var (_, grads) = try valueWithGradient(of: model, observer: reduction.backwardObserver) {
            m in try (m(x) * m(x)).sum()
        }
        try reduction.finish(&grads, interrupted: { false })
    }

    /// Every rank compares the bucket plan at every step (a max-allreduce of its digest, started
    /// with the step), also after a parameter was frozen; equal plans gather nothing.
    @Test func theBucketPlanIsComparedAtEveryStep() throws {
        let model = try Self.twoLayers()
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 20)
        var checks: [Int] = []
        for step in 0..<4 {
            if step == 2 { model.namedParameters()[3].parameter.isFrozen = true }
            try Self.step(parallel, model)
            checks.append(communicator.planChecks)
        }
        #expect(checks == [1, 2, 3, 4])
        #expect(communicator.gathers == 0)
    }

    /// Another rank whose plan differs (another model, other frozen parameters, another bucket
    /// size), also from one step on in the middle of a fit, fails that step before any bucket
    /// is reduced, with a message saying what differs.
    @Test func aPlanThatDiffersOnAnotherRankIsAClearError() throws {
        let model = try Self.twoLayers()
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 20)
        try Self.step(parallel, model)
        let (calls, started) = (communicator.calls.count, communicator.started.count)
        // The other rank froze its last bias: [W2, b1] and [W1].
        communicator.otherRankPlan = [[15, 5], [30]]
        let error = try #require(throws: NNError.self) { try Self.step(parallel, model) }
        let message = "\(error)"
        #expect(message.contains("same trainable parameters and bucket size on every rank"))
        #expect(
            message.contains(
                "rank 0 reduces 53 floats of 4 trainable parameters in 3 buckets of [18, 5, 30]"))
        #expect(
            message.contains("rank 1 50 floats of 3 trainable parameters in 2 buckets of [20, 30]"))
        #expect(communicator.calls.count == calls && communicator.started.count == started)
    }

    /// A rank with nothing trainable (every parameter frozen, maybe on it alone) still takes
    /// part in the comparison, with the empty plan: its peers' comparisons pair with it, and a
    /// plan that differs is the same clear error there.
    @Test func aRankWithNothingTrainableStillComparesItsPlan() throws {
        let model = try Self.twoLayers()
        for named in model.namedParameters() { named.parameter.isFrozen = true }
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 20)
        try Self.step(parallel, model)
        #expect(communicator.planChecks == 1)
        communicator.otherRankPlan = [[18, 5, 30]]
        let error = try #require(throws: NNError.self) { try Self.step(parallel, model) }
        #expect(communicator.planChecks == 2)
        #expect(
            "\(error)".contains(
                "rank 0 reduces 0 floats of 0 trainable parameters in 0 buckets of [], rank 1 53"))
    }

    /// Reducing after backward (without overlap, or with gradient accumulation) compares the
    /// buckets first too: a plan that differs on another rank fails before any reduction.
    @Test(arguments: [(false, 1), (true, 2)])
    func afterBackwardAPlanThatDiffersIsAClearError(overlaps: Bool, batches: Int) throws {
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(
            communicator: communicator, bucketElements: 20, overlapsBackward: overlaps)
        let model = try Self.twoLayers()
        var (grads, _) = try Self.gradients()
        try parallel.beginStep(of: model, batchesPerUpdate: batches, interrupted: { false })
            .finish(&grads, interrupted: { false })
        #expect(communicator.planChecks == 1 && communicator.calls.count == 3)
        communicator.otherRankPlan = [[30], [20]]
        let reduction = try parallel.beginStep(
            of: model, batchesPerUpdate: batches, interrupted: { false })
        let error = try #require(throws: NNError.self) {
            try reduction.finish(&grads, interrupted: { false })
        }
        #expect(
            "\(error)".contains(
                "rank 0 reduces 53 floats of 4 trainable parameters in 3 buckets of [30, 20, 3], "
                    + "rank 1 50 floats of 2 trainable parameters in 2 buckets of [30, 20]"))
        #expect(communicator.planChecks == 2 && communicator.calls.count == 3)
    }

    /// Without non-blocking collectives (the comparison runs only when waited for), the
    /// bounded poll polls once instead of spinning for its whole limit; the wait then compares.
    @Test func aDeferredComparisonIsPolledOnce() throws {
        let communicator = BlockingPairCommunicator()
        let check = try BucketPlanCheck(plan: [[3, 4]], communicator: communicator)
        #expect(try check.progress(forAtMost: .milliseconds(20)) == nil)
        #expect(check.polls == 1)
        #expect(try check.result(interrupted: { false }))
    }

    /// A transport's non-blocking comparison that has not finished (a peer behind) is polled
    /// back to back for the whole limit, then left to `result`.
    @Test func aTransportComparisonIsPolledForTheLimit() throws {
        let communicator = LatePeerCommunicator()
        let check = try BucketPlanCheck(plan: [[3, 4]], communicator: communicator)
        #expect(try check.progress(forAtMost: .milliseconds(5)) == nil)
        #expect(check.polls > 1)
        #expect(communicator.pending.progressCalls == check.polls)
        communicator.pending.hasArrived = true
        #expect(try check.progress(forAtMost: .milliseconds(5)) == true)
        #expect(try check.result(interrupted: { false }))
    }

    /// Another rank's plan bytes are decoded without trapping, whatever numbers they hold.
    @Test func hostilePlanBytesDecodeWithoutTrapping() {
        let hostile = [[Int.max, Int.max], [Int.min]]
        #expect(BucketPlanCheck.decoded(BucketPlanCheck.encoded(hostile)) == hostile)
        #expect(BucketPlanCheck.summary(hostile).contains("2 buckets"))
        // A member count near Int.max, and a bucket count larger than what follows.
        let huge = BucketPlanCheck.encoded([[1]]).enumerated().map {
            $0.offset == 8 ? 0xFF : $0.element
        }
        let counts = withUnsafeBytes(of: Int64.max.littleEndian, Array.init)
        let bytes = counts + counts + counts + [1, 2, 3]
        #expect(BucketPlanCheck.decoded(bytes).count == 1)
        #expect(BucketPlanCheck.decoded(huge).count <= 1)
        #expect(BucketPlanCheck.decoded([1, 2, 3]).isEmpty)
    }

    /// A parameter the loss does not use gets zeros from backward (reported as backward ends),
    /// which are reduced with the others in the last bucket.
    @Test func aParameterTheLossDoesNotUseGetsAZeroMean() throws {
        let model = try Dense(3, 2, seed: 1)
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator)
        let reduction = try parallel.beginStep(
            of: model, batchesPerUpdate: 1, interrupted: { false })
        var (_, grads) = try valueWithGradient(of: model, observer: reduction.backwardObserver) {
            m in try (m.weight.value * m.weight.value).sum()
        }
        let weight = grads.entries[0].gradient.scalars
        try reduction.finish(&grads, interrupted: { false })
        #expect(grads.entries[0].gradient.scalars == weight.map { 1.5 * $0 })
        #expect(grads.entries[1].gradient.scalars == [0, 0])
        #expect(model.bias?.gradient?.scalars == [0, 0])
        #expect(communicator.agreedParts.last?.map(\.count) == [2, 6])
    }

    /// The step's parameters are known from step to step, but which are frozen is asked at
    /// every step: a parameter frozen between two steps is not reduced in the second.
    @Test func aParameterFrozenBetweenStepsIsLeftOut() throws {
        let model = try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
        let x = try Tensor((0..<12).map { Float($0) / 7 }, shape: [2, 6])
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 1000)
        for step in 0..<2 {
            if step == 1 { model.namedParameters()[0].parameter.isFrozen = true }
            let reduction = try parallel.beginStep(
                of: model, batchesPerUpdate: 1, interrupted: { false })
            var (_, grads) = try valueWithGradient(
                of: model, observer: reduction.backwardObserver
            ) { m in try (m(x) * m(x)).sum() }
            try reduction.finish(&grads, interrupted: { false })
        }
        #expect(communicator.calls.map(\.count) == [53, 23])
    }

    /// A communicator without its own `allReduce(_:into:)` copies the source into the result
    /// and reduces that in place; the source stays as it was.
    @Test func allReduceIntoAResultLeavesTheSourceAlone() throws {
        let communicator = DoublingCommunicator()
        let source: [Float] = [1, 2, 4]
        var result = [Float](repeating: 0, count: 3)
        let owner = BucketBuffer()
        try source.withUnsafeBufferPointer { source throws(CommunicationError) in
            try result.withUnsafeMutableBufferPointer { result throws(CommunicationError) in
                try communicator.allReduce(
                    source, into: result, owner: owner, op: .sum, interrupted: { false })
            }
        }
        #expect(result == [3, 6, 12])
        #expect(source == [1, 2, 4])
        #expect(communicator.calls.map(\.inPlace) == [true])
    }

    @Test func withoutOverlapNoStepIsObserved() throws {
        let model = try Dense(2, 2, seed: 1)
        let parallel = DataParallel(communicator: DoublingCommunicator(), overlapsBackward: false)
        #expect(
            try parallel.beginStep(of: model, batchesPerUpdate: 1, interrupted: { false })
                .backwardObserver == nil)
        #expect(parallel.lastStepEvents.isEmpty)
    }

    /// With gradient accumulation the gradients are complete only after the group's last
    /// batch: its reduction runs after backward, through the same `finish` as the overlapped one.
    @Test func withGradientAccumulationTheStepReducesAfterBackward() throws {
        let model = try Sequential {
            try Dense(6, 5, seed: 1)
            try Dense(5, 3, seed: 2)
        }
        let communicator = DoublingCommunicator()
        let parallel = DataParallel(communicator: communicator, bucketElements: 20)
        let reduction = try parallel.beginStep(
            of: model, batchesPerUpdate: 2, interrupted: { false })
        #expect(reduction.backwardObserver == nil)
        var (grads, before) = try Self.gradients()
        try reduction.finish(&grads, interrupted: { false })
        for (entry, original) in zip(grads.entries, before) {
            #expect(entry.gradient.scalars == original.map { 1.5 * $0 })
        }
        #expect(communicator.calls.map(\.count) == [30, 20, 3])
        #expect(parallel.lastStepEvents.isEmpty)
        #expect(
            try parallel.beginStep(of: model, batchesPerUpdate: 1, interrupted: { false })
                .backwardObserver != nil)
    }
}

/// Two ranks of one process with the same values and only blocking collectives: its
/// `startAllReduce` is the default `DeferredReduction`, run when waited for.
final class BlockingPairCommunicator: Communicator {
    var rank: Int { 0 }
    var size: Int { 2 }

    func barrier(interrupted: () -> Bool) throws(CommunicationError) {}

    func allReduce(_ values: inout [Float], op: ReductionOperation, interrupted: () -> Bool)
        throws(CommunicationError)
    {
        if op == .sum { values = values.map { 2 * $0 } }
    }

    func broadcast(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)
    {}

    func allGather(_ bytes: [UInt8], interrupted: () -> Bool) throws(CommunicationError)
        -> [[UInt8]]
    { [bytes, bytes] }
}

/// Two ranks with the same values whose non-blocking collectives finish only once the test says
/// the peer has arrived (`pending.hasArrived`).
final class LatePeerCommunicator: Communicator {
    var rank: Int { 0 }
    var size: Int { 2 }
    let pending = Pending()

    /// A collective the peer has not yet joined.
    final class Pending: PendingCollective {
        var hasArrived = false
        private(set) var progressCalls = 0

        func progress() throws(CommunicationError) -> Bool {
            progressCalls += 1
            return hasArrived
        }

        func wait(interrupted: () -> Bool) throws(CommunicationError) { hasArrived = true }
    }

    func barrier(interrupted: () -> Bool) throws(CommunicationError) {}

    func allReduce(_ values: inout [Float], op: ReductionOperation, interrupted: () -> Bool)
        throws(CommunicationError)
    {}

    func startAllReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation
    ) throws(CommunicationError) -> any PendingCollective { pending }

    func broadcast(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)
    {}

    func allGather(_ bytes: [UInt8], interrupted: () -> Bool) throws(CommunicationError)
        -> [[UInt8]]
    { [bytes, bytes] }
}
