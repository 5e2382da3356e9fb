import Foundation
import KernelInterface
import Testing

@testable import Jupyter

@Suite struct NotebookTests {
    static let sample = """
        {"cells": [
          {"cell_type": "markdown", "id": "md-1", "metadata": {}, "source": ["# Title\\n", "text"]},
          {"cell_type": "code", "execution_count": 3, "id": "code-1", "metadata": {"tags": ["x"]},
           "outputs": [{"output_type": "stream", "name": "stdout", "text": ["a\\n", "b\\n"]},
                       {"output_type": "display_data", "data": {"text/plain": ["x\\n", "y"], "image/png": "AAAA"},
                        "metadata": {}}],
           "source": "print a\\nprint b"},
          {"cell_type": "raw", "metadata": {}, "source": "raw text", "attachments": {}}
        ], "metadata": {"kernelspec": {"name": "trainbook"}}, "nbformat": 4, "nbformat_minor": 4}
        """

    @Test func readsMultilineStringsAndKeepsIds() throws {
        let notebook = try Notebook(json: JSONValue(parsing: NotebookTests.sample))
        #expect(notebook.cells.map(\.kind) == [.markdown, .code, .raw])
        #expect(notebook.cells[0].source == "# Title\ntext")
        #expect(notebook.cells[0].id == "md-1")
        #expect(notebook.cells[1].executionCount == 3)
        #expect(notebook.cells[1].outputs[0]["text"] == "a\nb\n")
        #expect(notebook.cells[1].outputs[1]["data"]?["text/plain"] == "x\ny")
        #expect(NotebookCell.isValidId(notebook.cells[2].id))
        #expect(notebook.cells[2].extra["attachments"] == [:])
        #expect(notebook.metadata["kernelspec"]?["name"] == "trainbook")
    }

    @Test func writesNbformat45AndReadsBackTheSame() throws {
        let notebook = try Notebook(json: JSONValue(parsing: NotebookTests.sample))
        let json = try JSONValue(parsing: notebook.fileBytes)
        #expect(json["nbformat_minor"] == 5)
        #expect(json["cells"]?.arrayValue?[0]["source"] == ["# Title\n", "text"])
        #expect(
            json["cells"]?.arrayValue?[1]["outputs"]?.arrayValue?[1]["data"]?["image/png"] == "AAAA"
        )
        #expect(json["cells"]?.arrayValue?[2]["outputs"] == nil)
        #expect(try Notebook(json: json) == notebook)
        let text = String(decoding: notebook.fileBytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\""))
        #expect(text.hasSuffix("}\n"))
    }

    @Test func duplicateIdsAreReplaced() throws {
        let json: JSONValue = [
            "nbformat": 4, "nbformat_minor": 5, "metadata": [:],
            "cells": [
                ["cell_type": "code", "id": "same", "source": "", "metadata": [:]],
                ["cell_type": "code", "id": "same", "source": "", "metadata": [:]],
            ],
        ]
        let notebook = try Notebook(json: json)
        #expect(notebook.cells[0].id == "same")
        #expect(notebook.cells[1].id != "same")
    }

    @Test func invalidNotebooksAreExplained() {
        #expect(
            throws: JupyterError.invalidNotebook(path: "n", reason: "only nbformat 4 is supported")
        ) {
            try Notebook(json: ["nbformat": 3, "cells": []], path: "n")
        }
        #expect(
            throws: JupyterError.invalidNotebook(
                path: "n, cell 1", reason: "\"cell_type\" must be code, markdown or raw")
        ) {
            try Notebook(json: ["nbformat": 4, "cells": [["cell_type": "python"]]], path: "n")
        }
    }

    @Test func scriptsSplitAtPercentMarkers() {
        let script = """
            let x = 1

            // %% second cell
            x + 1
            // %% [markdown]
            // # Heading
            // text
            // %%

            // %%
              indented()
            """
        let notebook = ScriptCells.notebook(from: script)
        #expect(notebook.cells.map(\.kind) == [.code, .code, .markdown, .code])
        #expect(
            notebook.cells.map(\.source) == [
                "let x = 1", "x + 1", "# Heading\ntext", "  indented()",
            ])
    }

    @Test func outputsFollowClearAndDisplayUpdates() {
        let session = MessageSession()
        func message(_ type: MessageType, _ content: any MessageContent) -> Message {
            session.message(type, parent: nil, content: content.json)
        }
        var cells = [
            NotebookCell(kind: .code, source: "a"), NotebookCell(kind: .code, source: "b"),
        ]
        var outputs = CellOutputs()
        outputs.apply(
            message(.stream, StreamContent(name: .stdout, text: "1\n")), toCell: 0, of: &cells)
        outputs.apply(
            message(.stream, StreamContent(name: .stdout, text: "2\n")), toCell: 0, of: &cells)
        outputs.apply(
            message(.stream, StreamContent(name: .stderr, text: "e\n")), toCell: 0, of: &cells)
        let shown = DisplayContent(bundle: MimeBundle(plainText: "0%"), displayId: "bar")
        outputs.apply(message(.displayData, shown), toCell: 0, of: &cells)
        #expect(cells[0].outputs.count == 3)
        #expect(cells[0].outputs[0]["text"] == "1\n2\n")
        let update = DisplayContent(bundle: MimeBundle(plainText: "100%"), displayId: "bar")
        outputs.apply(message(.updateDisplayData, update), toCell: 1, of: &cells)
        #expect(cells[0].outputs[2]["data"] == ["text/plain": "100%"])
        #expect(cells[1].outputs.isEmpty)
        outputs.apply(message(.clearOutput, ClearOutputContent(wait: true)), toCell: 0, of: &cells)
        #expect(cells[0].outputs.count == 3)
        outputs.apply(
            message(.stream, StreamContent(name: .stdout, text: "fresh\n")), toCell: 0, of: &cells)
        #expect(
            cells[0].outputs == [["output_type": "stream", "name": "stdout", "text": "fresh\n"]])
        outputs.apply(message(.clearOutput, ClearOutputContent(wait: false)), toCell: 0, of: &cells)
        #expect(cells[0].outputs.isEmpty)
    }
}
