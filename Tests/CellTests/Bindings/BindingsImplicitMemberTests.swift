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
}
