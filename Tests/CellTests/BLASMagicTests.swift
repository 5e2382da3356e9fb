import KernelInterface
import Testing

@testable import Cell

/// `%blas` and the banner name the BLAS the configuration describes (the kernel installs
/// `{ BLAS.description }`; see Tests/TensorTests/BLASStartUpTests for that text).
@Suite struct BLASMagicTests {
    @Test func blasPrintsTheConfiguredDescriptionAndTheBannerShowsIt() {
        var configuration = CellInterpreter.Configuration()
        configuration.blasDescription = { "OpenBLAS 0.3.21, kernels SkylakeX (test)" }
        let cells = CellHarness(configuration: configuration)
        let run = cells.run("%blas")
        #expect(run.succeeded)
        #expect(run.stdout == "OpenBLAS 0.3.21, kernels SkylakeX (test)\n")
        #expect(
            cells.interpreter.info.banner.hasSuffix(
                "\nBLAS: OpenBLAS 0.3.21, kernels SkylakeX (test)"))
    }

    @Test func withoutADescriptionBLASSaysSoAndTheBannerIsPlain() {
        let cells = CellHarness()
        #expect(cells.run("%blas").stdout == "No tensor library is bound to this interpreter.\n")
        #expect(!cells.interpreter.info.banner.contains("BLAS"))
    }
}
