import Foundation
import Testing

/// Runs the cell files in Fixtures/ (the format is `CellFile`'s): one file per area of the
/// language, several behaviours each. The one-behaviour-per-file corpus is `CorpusTests`.
@Suite struct FixtureTests {
    static let files: [String] = {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".cell") }.sorted()
    }()

    @Test func fixturesExist() {
        #expect(FixtureTests.files.count >= 10)
    }

    @Test(arguments: FixtureTests.files)
    func fixture(_ name: String) throws {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
                .appendingPathComponent(name))
        CellFile(name: name, text: try String(contentsOf: url, encoding: .utf8)).check()
    }
}
