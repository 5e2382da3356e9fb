// Display: what cells show — tables, charts and live progress — built on the Plot library.
//
// Design note. Every value reaches the front end as a MIME bundle (`Session.bundle(for:)`): its
// type's `display` closure, else its text. This layer gives library values their bundles:
// models, summaries, histories, data sets, confusion matrices and dictionaries of metrics become
// Plot `Table`s (aligned text/plain plus a plain HTML table that takes the front end's styling);
// charts are `Chart` values whose bundle is SVG, a 2x PNG and a Unicode rendering for
// terminals. Chart-making functions (`plot`, `scatter`, `bar`, `histogram`, `heatmap`,
// `history.plot()`, `matrix.plot()`, `sweep.plot()`) return a Chart, shown when it is the
// cell's result or passed to `display`, and saved with `savefig`; `show` and
// `showPredictions` display their image grid at once.
//
// Long calls show progress through one class, `ProgressDisplay`: a display opened with a
// display id and updated in place (rich), a `\r`-redrawn text bar (text), or nothing, as the
// session's `%progress` style says (default from the kernelspec's TRAINBOOK_PROGRESS). It reads
// the clock once per step and builds a `ProgressState` only when a redraw is due (at most four
// a second), so a fast training loop pays nothing measurable. `fit` feeds it through its
// training observer (`ProgressTrainingDisplay`); calls without an observer (evaluation over a
// big set, the LR range test) through their interrupt check (`ProgressTicker`), shown only
// after a second.
import Cell
import Plot

/// Installs the display layer into a registry, after the library bindings whose types it
/// gives bundles and charts to.
enum DisplayBindings {
    /// Registers charts, chart-making functions, views, tables and progress options.
    static func install(into registry: Registry) {
        registry.implicitMembers(
            of: ProgressSettings.verbosityTypeName, module: "NN",
            [
                ("bar", "A progress bar (or the session's %progress style).", .string("bar")),
                ("epochs", "One line per epoch.", .string("epochs")),
                ("silent", "No progress.", .string("silent")),
                ("none", "No progress.", .string("none")),
            ])
        ChartBindings.install(into: registry)
        PlotBindings.install(into: registry)
        PlotViews.install(into: registry)
        ChartViews.install(into: registry)
        DisplayConfusionMatrix.install(into: registry)
        DisplayBundles.install(into: registry)
    }
}
