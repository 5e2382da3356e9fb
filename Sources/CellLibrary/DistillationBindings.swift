import Cell
import NN
import Tensor

extension Distillation: HostArgument {
    /// `Distillation`.
    public static let cellTypeName = "Distillation"
}

/// Knowledge distillation in cells (Hinton et al., 2015): the `Distillation` settings that
/// `fit(…, teacher:, distillation: .hinton(temperature: 4, alpha: 0.9))` takes, and
/// `distillationLoss(student:teacher:labels:temperature:alpha:)` for hand-written loops.
enum DistillationBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        installSettings(into: registry)
        installLoss(into: registry)
    }

    private static func installSettings(into registry: Registry) {
        registry.type(
            Distillation.self, name: Distillation.cellTypeName, kind: .value, module: module,
            doc: """
                How `fit` distils a `teacher:` into the model: \
                `.hinton(temperature: 4, alpha: 0.9)`, the loss α·T²·KL(softmax(teacher/T) ‖ \
                softmax(student/T)) + (1 − α)·loss(student, labels).
                """
        ) { type in
            let temperature = Param<Float>.labelled("temperature", default: 4, shown: "4")
            let alpha = Param<Float>.labelled("alpha", default: 0.9, shown: "0.9")
            type.staticMethod(
                "hinton", parameters: [temperature, alpha],
                doc: """
                    Hinton et al. (2015): the softened teacher's distribution as the target at \
                    temperature T (> 0), weighted α (in [0, 1]) against the loss on the labels.
                    """
            ) { [unowned info = type.info] arguments in
                info.wrap(
                    Distillation.hinton(
                        temperature: try arguments[temperature], alpha: try arguments[alpha]))
            }
            type.property("temperature", type: "Double", doc: "The temperature T.") {
                .double(Double($0.temperature))
            }
            type.property("alpha", type: "Double", doc: "The weight α of the soft term.") {
                .double(Double($0.alpha))
            }
            type.description { $0.description }
        }
    }

    private static func installLoss(into registry: Registry) {
        let student = Param<Tensor>.labelled("student", as: .floatTensor)
        let teacher = Param<Tensor>.labelled("teacher", as: .floatTensor)
        let labels = Param<Tensor>.labelled("labels", as: .tensor)
        let temperature = Param<Float>.labelled("temperature", default: 4, shown: "4")
        let alpha = Param<Float>.labelled("alpha", default: 0.9, shown: "0.9")
        registry.function(
            "distillationLoss", module: module,
            doc: """
                The distillation loss of Hinton et al. (2015): α·T²·KL(softmax(teacher/T) ‖ \
                softmax(student/T)) + (1 − α)·softmaxCrossEntropy(student, labels). The teacher's \
                logits are constants (no gradient reaches the teacher); T² keeps the gradient's \
                scale the same at every temperature.

                ```swift
                let (loss, grads) = valueWithGradient(of: student) { s in
                    distillationLoss(student: s(x), teacher: teacher.predict(x), labels: y,
                                     temperature: 4, alpha: 0.9)
                }
                ```
                """,
            parameters: [student, teacher, labels, temperature, alpha], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: distillationLoss(
                    student: try arguments[student], teacher: try arguments[teacher],
                    labels: try arguments[labels], temperature: try arguments[temperature],
                    alpha: try arguments[alpha]))
        }
    }
}
