import Foundation
import Testing

@testable import Data

/// Files that once hung the kernel or were silently misread: each is now a clear error.
@Suite struct HostileDataTests {
    @Test func aNamedPipeIsRefusedWithoutWaitingForAWriter() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let pipe = fixtures.path("p.csv")
        #expect(mkfifo(pipe, 0o600) == 0)
        // Before the check, opening the pipe blocked until a writer came: this test hung.
        let csv = try #require(dataError { _ = try CSVTable.read(pipe) })
        #expect(csv.description.contains("named pipe"), "\(csv)")
        let idx = try #require(dataError { _ = try IDXFile.read(pipe) })
        #expect(idx.description.contains("named pipe"), "\(idx)")
        let directory = try #require(dataError { _ = try CSVTable.read(fixtures.directory.path) })
        #expect(directory.description.contains("a directory"), "\(directory)")
    }

    @Test func aPipeInPlaceOfAnIDXFileIsAnError() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        #expect(mkfifo(fixtures.path("train-images-idx3-ubyte"), 0o600) == 0)
        try fixtures.write(
            idxBytes(type: 8, shape: [1], payload: [0]), to: "train-labels-idx1-ubyte")
        let error = try #require(dataError { _ = try MNIST(directory: fixtures.directory.path) })
        #expect(error.description.contains("named pipe"), "\(error)")
    }

    @Test func duplicateColumnNamesAreAnErrorNamingTheColumn() throws {
        let error = try #require(
            dataError { _ = try CSVTable(parsing: "a,a,label\n1,2,0\n", path: "d.csv") })
        #expect(
            error.description
                == "d.csv, line 1: the header names column \"a\" twice (columns 1 and 2); "
                + "every column needs its own name")
        // Without a header the generated names never repeat.
        #expect(try CSVTable(parsing: "1,1\n", hasHeader: false).columns.count == 2)
    }

    @Test(arguments: ["1e400", "inf", "-Infinity", "Nan", "1e4x"])
    func aNonFiniteNumberIsAnErrorNotACategory(cell: String) throws {
        let table = try CSVTable(
            parsing: "x,y,label\n1,2,0\n\(cell),3,1\n4,5,0\n", path: "n.csv")
        if Double(cell) == nil {
            // Not a number at all: the column is text, and becomes one-hot as documented.
            let data = try Dataset(csv: table, target: "label")
            #expect(data.featureNames.contains("x=\(cell)"))
            return
        }
        let error = try #require(dataError { _ = try Dataset(csv: table, target: "label") })
        #expect(error.description.hasPrefix("n.csv, line 3: column \"x\" holds \"\(cell)\""))
        #expect(error.description.contains("finite numbers"), "\(error)")
    }

    @Test func aNumberBeyondFloat32IsAnErrorAsATargetToo() throws {
        let table = try CSVTable(parsing: "x,y\n1,2.5\n2,4e38\n", path: "t.csv")
        let error = try #require(dataError { _ = try Dataset(csv: table, target: "y") })
        #expect(error.description.contains("beyond Float32's range"), "\(error)")
    }

    @Test func manyColumnsAreLookedUpByName() throws {
        let count = 5_000
        let header = (0..<count).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<count).map { String($0 % 7) }.joined(separator: ",")
        let table = try CSVTable(parsing: "\(header)\n\(row)\n\(row)\n")
        #expect(try table.columnIndex("c4321") == 4_321)
        let data = try Dataset(csv: table, target: "c0", task: .regression)
        #expect(data.featureNames.count == count - 1)
    }

    @Test func trainAndTestImagesOfDifferentShapesAreAnError() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try fixtures.write(
            idxBytes(type: 8, shape: [1, 2, 8], payload: [UInt8](repeating: 1, count: 16)),
            to: "train-images-idx3-ubyte")
        try fixtures.write(
            idxBytes(type: 8, shape: [1], payload: [0]), to: "train-labels-idx1-ubyte")
        try fixtures.write(
            idxBytes(type: 8, shape: [1, 4, 4], payload: [UInt8](repeating: 1, count: 16)),
            to: "t10k-images-idx3-ubyte")
        try fixtures.write(
            idxBytes(type: 8, shape: [1], payload: [0]), to: "t10k-labels-idx1-ubyte")
        let error = try #require(dataError { _ = try MNIST(directory: fixtures.directory.path) })
        #expect(
            error.description.contains("the training images are 2×8 but the test images are 4×4"),
            "\(error)")
    }
}
