// cell-fuzz: feeds the cell language thousands of generated and mutated cells and checks that
// every one ends, within a time bound, in a value or an error: never a crash or a hang.
// Deterministic for a seed. With --differential N it also runs N generated cells with and
// without the compiler's fast paths and compares what they do (--differential-self-test shows
// that this comparison reports a planted divergence). With --script FILE it runs the cells of
// a file (separated by lines `#---`) and prints what they do, to reproduce a finding.
import Cell
import Dispatch
import Foundation
import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

var options = FuzzOptions.parse(Array(CommandLine.arguments.dropFirst()))
if let script = options.script {
    exit(ScriptRunner.run(path: script))
}
if options.emit {
    exit(Fuzzer(options: options).emit())
}
if options.differentialSelfTest {
    exit(DifferentialCampaign.selfTest())
}
exit(Fuzzer(options: options).run())
