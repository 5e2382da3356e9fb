import CellLibrary
import KernelInterface
import Testing

@testable import Cell

/// Typed parameter handles and the checking of declared types: a binding declares a parameter
/// once with its Swift type and reads it by handle; a misspelt type name is caught at
/// registration instead of accepting anything.
@Suite struct ParameterDeclarationTests {
    /// A harness with the language alone plus `bind`.
    private func harness(_ bind: @escaping (Registry) -> Void) -> CellHarness {
        var configuration = CellInterpreter.Configuration()
        configuration.bindings = [bind]
        return CellHarness(configuration: configuration)
    }

    @Test func everyTypeTheLibraryDeclaresIsKnown() {
        let interpreter = CellInterpreter(configuration: .withLibrary)
        #expect(interpreter.registry.typeProblems() == [])
    }

    @Test func aMisspeltTypeNameIsCaughtAtRegistration() {
        let registry = Registry()
        Builtins.install(into: registry)
        registry.function(
            "scale", doc: "Scales.", parameters: [.positional("x", type: "Tensr")]
        ) { _ in .void }
        registry.function(
            "shift", doc: "Shifts.", parameters: [.labelled("by", type: "[Double")]
        ) { _ in .void }
        let problems = registry.typeProblems()
        #expect(problems.count == 2)
        #expect(problems.contains("scale(_:): parameter 'x' has the unknown type 'Tensr'"))
        #expect(
            problems.contains {
                $0.hasPrefix("shift(by:): parameter 'by': '[Double' is not a type")
            })
    }

    @Test func aMisspeltTypeNameNeverAcceptsAnyValue() {
        let cells = harness { registry in
            registry.function(
                "scale", doc: "Scales.", parameters: [.positional("x", type: "Tensr")]
            ) { _ in .string("accepted") }
        }
        let error = cells.run("scale(\"text\")").error
        #expect(error?.name == "TypeError")
        #expect(error?.value.contains("which is not a type") == true)
        #expect(error?.value.contains("'Tensr'") == true)
    }

    @Test func handlesReadByNameWhateverTheOrder() {
        let epochs = Param<Int>.labelled("epochs", default: 1)
        let rate = Param<Double>.labelled("rate", default: 0.5)
        let name = Param<String?>.optional("name")
        let sizes = Param<[Int]>.labelled("sizes", default: [2, 3])
        let cells = harness { registry in
            registry.function(
                "train", doc: "Trains.", parameters: [epochs, rate, name, sizes]
            ) { arguments in
                let text =
                    "\(try arguments[epochs]) \(try arguments[rate]) "
                    + "\(try arguments[name] ?? "-") \(try arguments[sizes])"
                return .string(text)
            }
        }
        #expect(cells.run("train()").result == "\"1 0.5 - [2, 3]\"")
        #expect(
            cells.run("train(epochs: 3, rate: 2, name: \"a\", sizes: [4])").result
                == "\"3 2.0 a [4]\"")
    }

    @Test func handlesGiveSignaturesCompletionAndInspection() {
        let epochs = Param<Int>.labelled("epochs", default: 1)
        let seed = Param<Int?>.optional("seed")
        let cells = harness { registry in
            registry.function(
                "train", doc: "Trains a model.", parameters: [epochs, seed], returns: "Int"
            ) { arguments in .int(try arguments[epochs]) }
        }
        let info = cells.interpreter.inspect("train(", cursor: 6, detailLevel: 0)
        #expect(
            info?.plainText?.contains("train(epochs: Int = 1, seed: Int? = nil) -> Int") == true)
        let labels = cells.interpreter.complete("train(ep", cursor: 8).matches.map(\.text)
        #expect(labels.contains("epochs: "))
    }

    @Test func elementsOfTypedArraysAreChecked() {
        let sizes = Param<[Int]>.positional("sizes")
        let cells = harness { registry in
            registry.function("total", doc: "Adds.", parameters: [sizes]) { arguments in
                .int(try arguments[sizes].reduce(0, +))
            }
        }
        #expect(cells.run("total([1, 2, 3])").result == "6")
        #expect(
            cells.run("total([1, \"two\"])").error?.value
                == "argument 'sizes' of total(_:) must be [Int], not an array of Int and String")
    }

    @Test func readingAnUndeclaredParameterIsAnErrorNotATrap() {
        let declared = Param<Int>.positional("x")
        let other = Param<Int>.positional("y")
        let cells = harness { registry in
            registry.function("f", doc: "F.", parameters: [declared]) { arguments in
                .int(try arguments[other])
            }
        }
        #expect(cells.run("f(1)").error?.value.contains("has no parameter 'y'") == true)
    }

    @Test func floatDefaultsShowAsWritten() {
        let momentum = Param<Float>.labelled("momentum", default: 0.9)
        #expect(momentum.parameter.signatureText == "momentum: Double = 0.9")
    }

    @Test func mistypedArrayElementsThatWereAcceptedAreNowErrors() {
        let cells = CellHarness()
        cells.run("let x = Tensor([[1.0], [2.0]])\nlet y = Tensor([0, 1])")
        // Class names used to be turned into text whatever they were.
        let error = cells.run("Dataset(features: x, labels: y, classNames: [0, 1])").error
        #expect(error?.name == "TypeError")
        #expect(
            error?.value
                == "argument 'classNames' of Dataset(features:labels:classNames:name:) must be "
                + "[String], not an array of Int")
        #expect(
            cells.run("Dataset(features: x, labels: y, classNames: [\"a\", \"b\"]).classNames")
                .result == "[\"a\", \"b\"]")
    }
}
