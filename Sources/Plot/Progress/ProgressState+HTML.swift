import Display

/// The rich progress display: HTML with a native progress bar and, from the second epoch, the
/// metric curves as an inline SVG.
extension ProgressState {
    /// The state as an HTML fragment for a display updated in place.
    ///
    /// Uses the front end's own fonts and colours: a `<progress>` element, text, and an inline
    /// SVG chart of the metric history once two epochs have finished.
    public func html() -> String {
        var out = "<div class=\"trainbook-progress\">\n"
        var heading: [String] = []
        if let title, !title.isEmpty {
            heading.append("<strong>\(MarkupText.escaped(title))</strong>")
        }
        if let epoch {
            heading.append("epoch \(epoch)" + (epochCount.map { "/\($0)" } ?? ""))
        }
        heading.append(
            MarkupText.escaped(stepName) + " " + (stepCount.map { "\(step)/\($0)" } ?? "\(step)"))
        if let status = statusText { heading.append("<em>\(MarkupText.escaped(status))</em>") }
        out += "<div>\(heading.joined(separator: " · "))</div>\n"
        if let fraction = fractionDone {
            let value = NumberFormat.fixed(4).format(fraction)
            out += "<progress value=\"\(value)\" max=\"1\" style=\"width:100%;max-width:40em\">"
            out += "\(NumberFormat.percent(0).format(fraction))</progress>\n"
        }
        var facts = ["\(NumberFormat.clockText(elapsed)) elapsed"]
        if let remaining { facts.append("\(NumberFormat.clockText(remaining)) left") }
        if let rate = samplesPerSecond { facts.append(Self.rateText(rate)) }
        facts += metrics.map { MarkupText.escaped($0.name) + " " + Self.metricText($0.value) }
        out += "<div style=\"font-variant-numeric:tabular-nums\">"
        out += "\(facts.joined(separator: " · "))</div>\n"
        // The curves' room is kept from the first update, so that the display does not grow
        // (and push the bar out of view) when they appear after the second epoch.
        let curves = curvesChart()
        if curves != nil || reservesCurves {
            let height = NumberFormat.fixed(0).format(Self.curvesHeight)
            out += "<div class=\"trainbook-curves\" style=\"height:\(height)px\">"
            out += "\(curves?.svg() ?? "")</div>\n"
        }
        out += "</div>"
        return out
    }

    /// The display bundle: text/html, and text/plain (the one-line bar) for front ends without
    /// HTML.
    public func mimeBundle(textWidth: Int = 80) -> MimeBundle {
        var bundle = MimeBundle(plainText: line(width: textWidth))
        bundle[.html] = html()
        return bundle
    }

    /// Small line charts of the metric history, one panel per metric with its validation
    /// counterpart ("loss" with "val_loss"), once at least two epochs have finished.
    public func curvesChart() -> Chart? {
        let finished = history.filter { $0.values.count >= 2 }
        guard !finished.isEmpty else { return nil }
        return Chart.history(
            finished, panelWidth: 300, panelHeight: Self.curvesHeight, maximumPanels: 3)
    }

    /// The height of the curves in CSS pixels.
    static let curvesHeight = 190.0

    /// Whether the job may still draw curves (it runs, with two epochs or more), so their room
    /// is kept; a job stopped before its second epoch ends gives the room back.
    var reservesCurves: Bool { phase == .running && (epochCount ?? 0) >= 2 }
}
