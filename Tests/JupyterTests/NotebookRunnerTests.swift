import Foundation
import KernelInterface
import Testing

@testable import Jupyter

/// The notebook runner against an in-process kernel.
@Suite struct NotebookRunnerTests {
    static func notebook(_ sources: [String]) -> Notebook {
        Notebook(
            cells: [NotebookCell(kind: .markdown, source: "# Doc")]
                + sources.map { NotebookCell(kind: .code, source: $0) })
    }

    @Test func runsEveryCodeCellAndFillsOutputs() throws {
        let kernel = try TestKernel()
        let directory =
            FileManager.default.temporaryDirectory.path + "/trainbook-run-\(UUID().uuidString)"
        var notebook = NotebookRunnerTests.notebook(["print hi\n1 + 2", "   ", "image", "count"])
        let printed = Locked<[String]>([])
        let runner = NotebookRunner(
            client: kernel.client, options: .init(imageDirectory: directory),
            write: { text, _ in printed.withLock { $0.append(text) } })
        let result = try runner.run(
            &notebook, kernelInfo: KernelInfoReply(info: kernel.interpreter.info))
        #expect(result.executedCells == 3)
        #expect(result.failedCells.isEmpty)
        #expect(notebook.cells.map(\.executionCount) == [nil, 1, nil, 2, 3])
        #expect(
            notebook.cells[1].outputs == [
                ["output_type": "stream", "name": "stdout", "text": "hi\n"],
                [
                    "output_type": "execute_result", "execution_count": 1,
                    "data": ["text/plain": "3"], "metadata": [:],
                ],
            ])
        #expect(
            notebook.cells[3].outputs.first?["data"]?["image/png"]
                == .string(TestInterpreter.onePixelPNG))
        #expect(
            result.savedImages == [
                directory + "/cell4-output1.png", directory + "/cell4-output2.svg",
            ])
        let png = try #require(FileManager.default.contents(atPath: result.savedImages[0]))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(notebook.metadata["language_info"]?["name"] == "test")
        #expect(
            printed.value.joined()
                == "hi\n3\n<image>\n[image saved to \(result.savedImages[0])]\n[image saved to \(result.savedImages[1])]\n1\n"
        )
    }

    @Test func stopsAtTheFirstErrorUnlessErrorsAreAllowed() throws {
        let kernel = try TestKernel()
        var notebook = NotebookRunnerTests.notebook(["count", "fail", "count"])
        let stopped = try NotebookRunner(client: kernel.client, write: { _, _ in }).run(&notebook)
        #expect(stopped.failedCells == [2])
        #expect(notebook.cells[3].executionCount == nil)
        #expect(notebook.cells[2].outputs.first?["ename"] == "TestError")

        var again = NotebookRunnerTests.notebook(["fail", "count"])
        let allowed = try NotebookRunner(
            client: kernel.client, options: .init(allowErrors: true), write: { _, _ in }
        ).run(&again)
        #expect(allowed.failedCells == [1])
        #expect(
            again.cells[2].outputs == [["output_type": "stream", "name": "stdout", "text": "2\n"]])
    }

    @Test func cellTimeoutInterruptsTheKernel() throws {
        let kernel = try TestKernel()
        var notebook = NotebookRunnerTests.notebook(["loop", "count"])
        let runner = NotebookRunner(
            client: kernel.client, options: .init(cellTimeout: .milliseconds(300)),
            write: { _, _ in },
            interruptKernel: { kernel.server.interrupt() })
        let result = try runner.run(&notebook)
        #expect(result.failedCells == [1])
        #expect(notebook.cells[1].outputs.last?["ename"] == "CellTimeoutError")
        // The interrupted cell's reply is skipped, and the kernel goes on.
        let (reply, _) = try kernel.execute("count")
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
    }
}

@Suite struct LineEditorTests {
    @Test func editingKeysChangeTheBuffer() {
        var state = EditState(buffer: Array("pint"), historyIndex: 2)
        let history = ["first", "second"]
        state.apply(.left, history: history)
        state.apply(.left, history: history)
        state.apply(.left, history: history)
        state.apply(.character("r"), history: history)
        #expect(String(state.buffer) == "print")
        state.apply(.end, history: history)
        state.apply(.backspace, history: history)
        #expect(String(state.buffer) == "prin")
        state.apply(.up, history: history)
        #expect(String(state.buffer) == "second")
        state.apply(.up, history: history)
        state.apply(.up, history: history)
        #expect(String(state.buffer) == "first")
        state.apply(.down, history: history)
        state.apply(.down, history: history)
        #expect(String(state.buffer) == "prin")
        state.apply(.home, history: history)
        state.apply(.killToEnd, history: history)
        #expect(state.buffer.isEmpty)
    }

    @Test func completionUsesTheLongestCommonPrefix() {
        #expect(LineEditor.commonPrefix(["print", "private", "prism"]) == "pri")
        #expect(LineEditor.commonPrefix(["x"]) == "x")
        #expect(LineEditor.commonPrefix([]) == "")
    }

    @Test func freePortsAreDistinctAndUsable() throws {
        let ports = try KernelLauncher.freePorts(count: 5)
        #expect(Set(ports).count == 5)
        #expect(ports.allSatisfy { (1024...65535).contains($0) })
    }
}
