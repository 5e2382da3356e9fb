import NN

/// A model summary as an HTML table for notebooks (the text form is the library's own).
enum SummaryTable {
    /// `<table>` with one row per layer and a footer with the parameter counts.
    static func html(_ summary: ModelSummary) -> String {
        var html = "<table><thead><tr><th>Layer</th><th>Type</th><th>Output shape</th>"
        html += "<th>Parameters</th><th>Trainable</th></tr></thead><tbody>"
        for row in summary.rows {
            let indent = String(repeating: "&nbsp;&nbsp;", count: row.depth)
            let type =
                row.configuration.isEmpty ? row.typeName : "\(row.typeName)(\(row.configuration))"
            let cells = [
                indent + escape(row.name), escape(type),
                row.outputShape.map { escape("\($0)") } ?? "", "\(row.parameterCount)",
                row.trainableState == .none ? "" : row.trainableState.rawValue,
            ]
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        html += "</tbody></table><p>Parameters: \(summary.parameterCount) (trainable "
        html += "\(summary.trainableParameterCount), frozen \(summary.frozenParameterCount))</p>"
        return html
    }

    /// `text` with HTML's special characters escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
