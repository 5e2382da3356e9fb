import Testing

@testable import Tensor

@Suite struct ParallelismTests {
    @Test func blasThreadCountReadsBackWhatOpenBLASUses() {
        #expect(Parallelism.blasThreadCount >= 1)
        #expect(Parallelism.threadCount >= 1)
    }
}
