import KernelInterface
import Testing

@testable import Cell

/// Inspect replies and `%help` pages: Markdown for JupyterLab, clean plain text for terminals,
/// and properties listed with their names.
@Suite struct InspectionTests {
    @Test func inspectCarriesMarkdownAndPlainTextWithoutBackticks() throws {
        let harness = CellHarness()
        #expect(harness.run("let t = Tensor([1.0])").succeeded)
        let code = "t.item"
        let bundle = try #require(
            harness.interpreter.inspect(code, cursor: code.count, detailLevel: 0))
        let plain = try #require(bundle.plainText)
        let markdown = try #require(bundle[.markdown])
        #expect(plain.contains("as PyTorch's item()."), "\(plain)")
        #expect(!plain.contains("`"), "\(plain)")
        #expect(markdown.hasPrefix("```swift\n"), "\(markdown)")
        #expect(markdown.contains("as PyTorch's `item()`."), "\(markdown)")
    }

    @Test func printsDocumentationCodeAsMarkdownAndPlainText() {
        let text = "f(_ x: Int)\n\nDoubles `x`:\n```swift\nf(2)\n```"
        let documentation = DocumentationText(text)
        #expect(documentation.plainText == "f(_ x: Int)\n\nDoubles x:\n    f(2)")
        #expect(
            documentation.markdown
                == "```swift\nf(_ x: Int)\n```\n\nDoubles `x`:\n```swift\nf(2)\n```")
    }

    @Test func listsOfMembersBecomeCodeBlocks() {
        let documentation = DocumentationText("struct A\n\nMembers:\n  count: Int  The number.")
        #expect(
            documentation.markdown
                == "```swift\nstruct A\n```\n\nMembers:\n\n```swift\ncount: Int  The number.\n```")
    }

    @Test func helpListsPropertiesWithTheirNames() throws {
        let run = CellHarness().run("%help Tensor")
        let pages = run.sink.events.compactMap { event -> MimeBundle? in
            if case .page(let bundle) = event { return bundle }
            return nil
        }
        let plain = try #require(pages.first?.plainText)
        #expect(plain.contains("  count: Int  The number of elements."), "\(plain)")
        #expect(!plain.contains("\n  Int  "), "\(plain)")
        #expect(pages.first?[.markdown] != nil)
    }
}
