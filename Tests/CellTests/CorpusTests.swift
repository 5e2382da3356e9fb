import Foundation
import Testing

/// The language's own test corpus, as Crafting Interpreters' test suite: Corpus/<construct>/
/// holds one small cell file per behaviour, with its expected output, result or error in
/// `// expect…` comments (the format is `CellFile`'s). Each file runs in a fresh session.
@Suite struct CorpusTests {
    static let root = Bundle.module.url(forResource: "Corpus", withExtension: nil)

    /// The corpus files, as paths relative to Corpus/ (`operators/overflow-addition.cell`).
    static let files: [String] = {
        guard let root,
            let enumerator = FileManager.default.enumerator(atPath: root.path)
        else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".cell") }.sorted()
    }()

    @Test func corpusIsComplete() {
        #expect(CorpusTests.files.count >= 250)
        let constructs = Set(CorpusTests.files.compactMap { $0.split(separator: "/").first })
        #expect(constructs.count >= 15, "the corpus covers \(constructs.sorted())")
    }

    @Test(arguments: CorpusTests.files)
    func behaviour(_ path: String) throws {
        let url = try #require(CorpusTests.root?.appendingPathComponent(path))
        CellFile(name: path, text: try String(contentsOf: url, encoding: .utf8)).check()
    }

    /// The same behaviours with the compiler's fast paths off: the general path they
    /// shortcut must give the same results.
    @Test(arguments: CorpusTests.files)
    func behaviourOnTheGeneralPath(_ path: String) throws {
        let url = try #require(CorpusTests.root?.appendingPathComponent(path))
        var configuration = CellFile.configuration
        configuration.usesFastPaths = false
        CellFile(name: path, text: try String(contentsOf: url, encoding: .utf8))
            .check(configuration: configuration)
    }
}
