import Foundation
import Testing

@testable import Cell

/// Implicit members (`.maxNorm(3)`) where a library property or an untyped function receives
/// them: resolved against the declared type, or a clear error, never a silent nil.
@Suite struct BindingsImplicitMemberTests {
    @Test func assigningAnImplicitMemberToAHostPropertyResolvesItsDeclaredType() {
        let harness = CellHarness()
        harness.run("let layer = Dense(4, 2)\nlayer.weight.constraint = .maxNorm(3)")
        #expect(harness.run("layer.weight.constraint").result == "maxNorm(3.0)")
        harness.run("layer.weight.constraint = nil")
        #expect(harness.run("layer.weight.constraint").result == "nil")
    }

    @Test func anUnknownImplicitMemberAssignedToAHostPropertyIsAnError() throws {
        let harness = CellHarness()
        harness.run("let layer = Dense(4, 2)")
        let error = try #require(harness.run("layer.weight.constraint = .noSuchMember").error)
        #expect(error.value.contains("noSuchMember"))
        #expect(harness.run("layer.weight.constraint").result == "nil")
    }

    @Test func anImplicitMemberInAnArrayForAnUntypedFunctionAsksForItsType() throws {
        let harness = CellHarness()
        harness.run("func f(_ a) { a }")
        #expect(
            harness.run("f([Augmentation.gaussianNoise(0.3)]).count").result == "1")
        let error = try #require(harness.run("let x = f([.gaussianNoise(0.3)])").error)
        #expect(error.value.contains("cannot infer the type of '.gaussianNoise'"))
        #expect(error.value.contains("Augmentation.gaussianNoise"))
        #expect(harness.run("x").error != nil)
        harness.run("let x = f([Augmentation.gaussianNoise(0.3)])")
        #expect(harness.run("x.count").result == "1")
    }

    @Test func aDefaultedOrTypedParameterHandlesImplicitMembersInArrays() throws {
        let harness = CellHarness()
        harness.run("func g(_ a, scale: Double = 1) { a }\nfunc t(_ a: [Augmentation]) { a.count }")
        let error = try #require(harness.run("g([.gaussianNoise(0.3)])").error)
        #expect(error.value.contains("write 'Augmentation.gaussianNoise'"))
        #expect(
            harness.run("t([.gaussianNoise(0.3), .horizontalFlip(probability: 1)])").result == "2")
    }
}
