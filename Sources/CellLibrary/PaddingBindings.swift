import Cell
import NN
import Tensor

/// `Padding` for `Conv2D`: `.valid` (none), `.same` (output as large as the input, stride 1) or
/// `.explicit(1)` / `.explicit((1, 2))` zeros per side.
enum PaddingBindings {
    static func install(into registry: Registry) {
        registry.type(
            Padding.self, name: "Padding", kind: .value, module: "NN",
            doc: "How a convolution pads its input: `.valid`, `.same` or `.explicit(1)`."
        ) { type in
            type.staticProperty("valid", doc: "No padding.") { [unowned info = type.info] in
                info.wrap(Padding.valid)
            }
            type.staticProperty("same", doc: "Output as large as the input (stride 1).") {
                [unowned info = type.info] in info.wrap(Padding.same)
            }
            let size = Param<Size2D>.positional("size", as: .size2D)
            type.staticMethod(
                "explicit", parameters: [size],
                doc:
                    "Zeros on each side: `.explicit(1)` or `.explicit((1, 2))` for (height, width)."
            ) { [unowned info = type.info] arguments in
                info.wrap(Padding.explicit(try arguments[size]))
            }
            type.description { $0.name }
        }
    }
}
