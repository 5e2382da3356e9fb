import Foundation
import Testing

@testable import Tensor

@Suite struct ParallelismTests {
    @Test func blasThreadCountReadsBackWhatOpenBLASUses() {
        #expect(Parallelism.blasThreadCount >= 1)
        #expect(Parallelism.threadCount >= 1)
    }
}

/// Matrix products are not split across hyperthread siblings (the issue-17 Intel guest: two
/// vCPUs that are one core's two hyperthreads).
@Suite struct ProductThreadsTests {
    /// The first processor's block is the one read; the later ones are not looked at.
    @Test func cpuinfoIsReadFromTheFirstProcessor() {
        let text = """

            processor\t: 0
            model name\t: AMD EPYC
            flags\t\t: fpu avx2 fma
            siblings\t: 2
            cpu cores\t: 1

            processor\t: 1
            model name\t: Other
            flags\t\t: fpu
            siblings\t: 4
            cpu cores\t: 4

            """
        let features = CPUFeatures(cpuinfo: text)
        #expect(features.model == "AMD EPYC")
        #expect(features.flags == ["fpu", "avx2", "fma"])
        #expect(features.threadsPerCore == 2)
        #expect(features.hasAVX2)
    }

    /// A key that only a later processor's block has is not read (a parser that read the whole
    /// file, keeping each key's first value, would find these).
    @Test func keysOfLaterProcessorsAreIgnored() {
        let text = """
            processor\t: 0
            flags\t\t: fpu avx2

            processor\t: 1
            model name\t: Other
            siblings\t: 4
            cpu cores\t: 2

            """
        let features = CPUFeatures(cpuinfo: text)
        #expect(features.model == "unknown")
        #expect(features.threadsPerCore == 1)
    }

    @Test func cpuinfoGivesThreadsPerCore() {
        func cpuinfo(siblings: Int, cores: Int) -> String {
            """
            processor\t: 0
            model name\t: Intel(R) Xeon(R) Platinum 8488C
            flags\t\t: fpu avx2 fma avx512f
            physical id\t: 0
            siblings\t: \(siblings)
            core id\t\t: 0
            cpu cores\t: \(cores)
            """
        }
        #expect(CPUFeatures(cpuinfo: cpuinfo(siblings: 2, cores: 1)).threadsPerCore == 2)
        #expect(CPUFeatures(cpuinfo: cpuinfo(siblings: 2, cores: 2)).threadsPerCore == 1)
        #expect(CPUFeatures(cpuinfo: cpuinfo(siblings: 16, cores: 8)).threadsPerCore == 2)
        // Missing or nonsensical fields: one thread per core.
        #expect(CPUFeatures(cpuinfo: "flags\t: avx2").threadsPerCore == 1)
        #expect(CPUFeatures(cpuinfo: cpuinfo(siblings: 1, cores: 0)).threadsPerCore == 1)
    }

    @Test func siblingsCountAsOneCore() {
        #expect(Parallelism.physicalCores(logicalCPUs: 2, threadsPerCore: 2) == 1)
        #expect(Parallelism.physicalCores(logicalCPUs: 2, threadsPerCore: 1) == 2)
        #expect(Parallelism.physicalCores(logicalCPUs: 16, threadsPerCore: 2) == 8)
        #expect(Parallelism.physicalCores(logicalCPUs: 1, threadsPerCore: 2) == 1)
        #expect(Parallelism.productThreads(1) == 1)
        #expect(
            Parallelism.productThreads(Parallelism.physicalCores + 5) == Parallelism.physicalCores)
    }

    @Test func thisMachinesCoresMatchItsCpuinfo() {
        let logical = ProcessInfo.processInfo.activeProcessorCount
        #expect(
            Parallelism.physicalCores
                == max(1, logical / CPUFeatures.current.threadsPerCore))
    }
}
