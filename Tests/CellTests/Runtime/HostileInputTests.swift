import Dispatch
import Foundation
import Testing

@testable import Cell

/// Inputs that once hung or crashed the kernel or were silently misread (issue 11): each is
/// now a clear error, and the session answers afterwards with its variables intact.
@Suite struct HostileInputTests {
    /// A directory holding a named pipe `p` and a CSV file `dup.csv` with a repeated column.
    final class Files {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainbook-hostile-\(UUID().uuidString)").path

        init() throws {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
            try #require(mkfifo(directory + "/p", 0o600) == 0)
            try "a,a,label\n1,2,0\n3,4,1\n".write(
                toFile: directory + "/dup.csv", atomically: true, encoding: .utf8)
            try "x,label\n1,0\n1e400,1\n".write(
                toFile: directory + "/inf.csv", atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs `cell` after defining a marker, expects an error whose message contains `message`,
    /// then checks the session still answers with the marker.
    func expectError(_ cell: String, containing message: String) {
        let harness = CellHarness()
        #expect(harness.run("let marker = 42").succeeded)
        let error = harness.run(cell).error
        #expect(error?.value.contains(message) == true, "\(cell): \(String(describing: error))")
        #expect(harness.run("print(marker)").stdout == "42\n")
    }

    @Test func readingANamedPipeIsAnErrorNotAHang() throws {
        let files = try Files()
        let pipe = files.directory + "/p"
        expectError("let m = loadModel(from: \"\(pipe)\")", containing: "named pipe")
        expectError(
            "let model = Sequential { Dense(2, 2) }\nmodel.load(from: \"\(pipe)\")",
            containing: "named pipe")
        expectError("let d = Dataset(csv: \"\(pipe)\", target: \"y\")", containing: "named pipe")
    }

    @Test func badCSVFilesAreErrorsNamingTheProblem() throws {
        let files = try Files()
        expectError(
            "let d = Dataset(csv: \"\(files.directory)/dup.csv\", target: \"label\")",
            containing: "column \"a\" twice")
        expectError(
            "let d = Dataset(csv: \"\(files.directory)/inf.csv\", target: \"label\")",
            containing: "\"1e400\", which is infinite")
    }

    @Test func anInterruptStopsOneLongMatrixProduct() {
        let harness = CellHarness()
        #expect(harness.run("let marker = 42\nlet a = Tensor.ones([4096, 4096])").succeeded)
        // 4096³ multiply-adds run as 16 tiles; an interrupt lands between two of them. Without
        // the tiles the product ran to its end and the cell succeeded. A cell clears interrupts
        // that came before it started, so on a loaded machine a single interrupt may land
        // before the cell runs: interrupts keep coming every 50 ms until the cell has returned.
        let interpreter = harness.interpreter
        let finished = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while finished.wait(timeout: .now() + 0.05) == .timedOut { interpreter.interrupt() }
            stopped.signal()
        }
        let run = harness.run("let b = a.matmul(a)")
        finished.signal()
        stopped.wait()  // no interrupt may reach the next cell
        #expect(run.error?.name == "KeyboardInterrupt", "\(String(describing: run.error))")
        #expect(harness.run("print(marker, a.shape)").stdout == "42 [4096, 4096]\n")
    }
}
