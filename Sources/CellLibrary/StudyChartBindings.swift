import Cell
import Plot
import Tune

/// Which chart of a study `study.plot(_:)` draws, as a cell value: `.history`,
/// `.intermediate`, `.slice`, `.parallelCoordinates`, `.contour(x: "rate", y: "dropout")`,
/// `.paretoFront`, `.importances`.
struct StudyChartChoice: HostArgument {
    static let cellTypeName = "StudyPlot"

    /// The chart.
    enum Kind: Equatable {
        case history, intermediate, slice, parallelCoordinates, paretoFront, importances
        case contour(x: String, y: String)
    }

    let kind: Kind
    /// How the cell wrote it.
    let text: String

    /// The chart of `study`.
    func chart(_ study: Study, title: String?) throws -> Chart {
        switch kind {
        case .history: return StudyViews.historyChart(study, title: title)
        case .intermediate: return StudyViews.intermediateChart(study, title: title)
        case .paretoFront: return StudyViews.paretoChart(study, title: title)
        case .importances:
            return try StudyViews.importanceChart(try study.importances(), title: title)
        case .slice: return try StudyParameterCharts.slice(study, names: nil, title: title)
        case .parallelCoordinates:
            return try StudyParameterCharts.parallelCoordinates(study, names: nil, title: title)
        case .contour(let x, let y):
            return try StudyParameterCharts.contour(study, x: x, y: y, title: title)
        }
    }
}

/// The `StudyPlot` type and `study.plot(_:title:)`.
enum StudyChartBindings {
    static func install(into registry: Registry) {
        registry.type(
            StudyChartChoice.self, name: StudyChartChoice.cellTypeName, kind: .value,
            module: StudyBindings.module,
            doc: """
                A chart of a study for `study.plot(_:)`: `.history`, `.intermediate`, `.slice`, \
                `.parallelCoordinates`, `.contour(x:y:)`, `.paretoFront`, `.importances`.
                """
        ) { type in
            let simple: [(String, StudyChartChoice.Kind, String)] = [
                ("history", .history, "The best value so far against the trial number."),
                ("intermediate", .intermediate, "Each trial's reported values by step."),
                ("slice", .slice, "Each parameter against the objective, one panel each."),
                (
                    "parallelCoordinates", .parallelCoordinates,
                    "Every complete trial as a line across the value and the parameters."
                ),
                ("paretoFront", .paretoFront, "The first two objectives, the front joined."),
                ("importances", .importances, "The parameters' importances (PED-ANOVA)."),
            ]
            for (name, kind, doc) in simple {
                type.staticProperty(name, doc: doc) { [unowned info = type.info] in
                    info.wrap(StudyChartChoice(kind: kind, text: ".\(name)"))
                }
            }
            let x = Param<String>.labelled("x")
            let y = Param<String>.labelled("y")
            type.staticMethod(
                "contour", parameters: [x, y],
                doc: "The objective's contour lines over two parameters, the trials as dots."
            ) { arguments in
                let (first, second) = (try arguments[x], try arguments[y])
                return try arguments.wrap(
                    StudyChartChoice(
                        kind: .contour(x: first, y: second),
                        text: ".contour(x: \"\(first)\", y: \"\(second)\")"))
            }
            type.description { $0.text }
        }
    }

    /// `study.plot(.slice)`; without a kind the optimization history.
    static func installPlot(_ type: TypeBuilder<Study>) {
        let kind = Param<StudyChartChoice?>(
            label: nil, name: "kind", kind: StudyChartChoice?.argumentKind,
            defaultValue: .nilValue, shownDefault: ".history")
        let title = Param<String?>.optional("title")
        type.method(
            "plot", parameters: [kind, title], returns: "Chart",
            doc: """
                A chart of the study: by default the best value so far against the trial \
                number; `.slice`, `.parallelCoordinates`, `.contour(x:y:)`, `.intermediate`, \
                `.paretoFront` or `.importances` for the others.
                """
        ) { study, arguments in
            let choice = try arguments[kind] ?? StudyChartChoice(kind: .history, text: ".history")
            return try arguments.wrap(try choice.chart(study, title: try arguments[title]))
        }
    }
}
