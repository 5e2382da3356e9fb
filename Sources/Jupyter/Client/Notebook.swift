import Files
import Foundation
import KernelInterface

/// A Jupyter notebook in nbformat 4, read from and written to its JSON file.
///
/// Reading accepts any nbformat 4 minor version (multi-line strings as strings or lists of
/// lines); writing produces nbformat 4.5 as nbformat itself does: sorted keys, one-space
/// indentation, multi-line strings split into lines, and an id on every cell (ids read are kept).
///
/// ```swift
/// var notebook = try Notebook(contentsOf: "01-first-model.ipynb")
/// notebook.cells[0].outputs = []
/// try notebook.write(to: "out.ipynb")
/// ```
public struct Notebook: Sendable, Equatable {
    /// The cells, in order.
    public var cells: [NotebookCell]
    /// Notebook metadata (kernelspec, language_info, ...).
    public var metadata: [String: JSONValue]

    /// Creates a notebook.
    public init(cells: [NotebookCell], metadata: [String: JSONValue] = [:]) {
        self.cells = cells
        self.metadata = metadata
    }

    /// Reads a notebook from its JSON.
    ///
    /// - Throws: `JupyterError.invalidNotebook` explaining what is wrong.
    public init(json: JSONValue, path: String = "notebook") throws(JupyterError) {
        guard let fields = json.objectValue else {
            throw JupyterError.invalidNotebook(path: path, reason: "not a JSON object")
        }
        guard fields["nbformat"]?.intValue == 4 else {
            throw JupyterError.invalidNotebook(path: path, reason: "only nbformat 4 is supported")
        }
        guard let cells = fields["cells"]?.arrayValue else {
            throw JupyterError.invalidNotebook(path: path, reason: "\"cells\" must be a list")
        }
        var read: [NotebookCell] = []
        for (index, cell) in cells.enumerated() {
            read.append(try NotebookCell(json: cell, path: "\(path), cell \(index + 1)"))
        }
        self.init(cells: read, metadata: fields["metadata"]?.objectValue ?? [:])
        makeIdsUnique()
    }

    /// Reads a notebook file.
    ///
    /// - Throws: `JupyterError.file` or `.invalidNotebook`.
    public init(contentsOf path: String) throws(JupyterError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JupyterError.file(path: path, reason: "cannot be read")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: [UInt8](data))
        } catch {
            throw JupyterError.invalidNotebook(path: path, reason: error.description)
        }
        try self.init(json: json, path: path)
    }

    /// The nbformat 4.5 document.
    public var json: JSONValue {
        [
            "cells": .array(cells.map(\.json)), "metadata": .object(metadata), "nbformat": 4,
            "nbformat_minor": 5,
        ]
    }

    /// The file's bytes: sorted keys, one-space indent, a final newline (nbformat's layout).
    public var fileBytes: [UInt8] {
        var bytes = json.jsonBytes(JSONFormat(sortedKeys: true, indent: 1))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Writes the notebook atomically.
    ///
    /// - Throws: `JupyterError.file`.
    public func write(to path: String) throws(JupyterError) {
        try JupyterError.writing { () throws(FileWriteError) in
            try AtomicFile.write(fileBytes, to: path)
        }
    }

    /// Gives duplicate or missing cell ids fresh ones (nbformat 4.5 requires unique ids).
    private mutating func makeIdsUnique() {
        var seen: Set<String> = []
        for index in cells.indices {
            while cells[index].id.isEmpty || !seen.insert(cells[index].id).inserted {
                cells[index].id = NotebookCell.newId()
            }
        }
    }
}
