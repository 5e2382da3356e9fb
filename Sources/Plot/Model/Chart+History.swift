/// The training-history view (`history.plot()`): one panel per metric, each with its
/// validation counterpart ("loss" with "val_loss"), against the epoch.
extension Chart {
    /// Panels of metric curves by epoch, pairing each metric with its `val_` counterpart.
    ///
    /// ```swift
    /// Chart.history([
    ///     MetricHistory(name: "loss", values: [0.61, 0.47, 0.42]),
    ///     MetricHistory(name: "val_loss", values: [0.55, 0.49, 0.46]),
    ///     MetricHistory(name: "accuracy", values: [0.78, 0.83, 0.85]),
    /// ])
    /// ```
    ///
    /// - Parameters:
    ///   - metrics: one history per metric, in display order.
    ///   - title: drawn above the panels.
    ///   - panelWidth: width of each panel in CSS pixels (default 360).
    ///   - panelHeight: height of each panel (default 260).
    ///   - maximumPanels: panels beyond this many are left out (default 4).
    public static func history(
        _ metrics: [MetricHistory], title: String? = nil, panelWidth: Double = 360,
        panelHeight: Double = 260, maximumPanels: Int = 4
    ) -> Chart {
        var groups: [(name: String, members: [MetricHistory])] = []
        for metric in metrics where !metric.values.isEmpty {
            let base =
                metric.name.hasPrefix("val_") ? String(metric.name.dropFirst(4)) : metric.name
            if let index = groups.firstIndex(where: { $0.name == base }) {
                groups[index].members.append(metric)
            } else {
                groups.append((base, [metric]))
            }
        }
        let panels = groups.prefix(max(maximumPanels, 1)).map { group in
            Chart.line(
                group.members.map { metric in
                    LineSeries(
                        name: metric.name, x: metric.values.indices.map { Double($0 + 1) },
                        y: metric.values, marker: metric.values.count <= 30 ? .circle : nil)
                }, title: group.name, x: Axis(label: "epoch"))
        }
        var chart = Chart.panels(Array(panels), columns: max(panels.count, 1), title: title)
        chart.width = panelWidth * Double(max(panels.count, 1))
        chart.height = panelHeight + (title == nil ? 0 : 30)
        return chart
    }
}
