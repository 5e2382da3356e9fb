import Tensor
import Testing

@testable import Data

@Suite struct CSVTests {
    @Test func parsesQuotesDelimitersAndLineEnds() throws {
        let text =
            "\u{FEFF}name, size ,note\r\n\"Smith, J\",3,\"said \"\"hi\"\"\"\r\nplain,4,\"two\nlines\"\n\n"
        let table = try CSVTable(parsing: text)
        #expect(table.columns == ["name", "size", "note"])
        #expect(table.rows == [["Smith, J", "3", "said \"hi\""], ["plain", "4", "two\nlines"]])
        #expect(table.lines == [2, 3])
    }

    @Test func otherDelimitersAndNoHeader() throws {
        let table = try CSVTable(parsing: "1;2\n3;4", delimiter: ";", hasHeader: false)
        #expect(table.columns == ["column1", "column2"])
        #expect(table.rows == [["1", "2"], ["3", "4"]])
        #expect(throws: DataError.self) { try CSVTable(parsing: "a\n1", delimiter: "\"") }
    }

    @Test func malformedTextNamesTheLine() throws {
        let ragged = try #require(
            dataError { _ = try CSVTable(parsing: "a,b\n1,2\n3\n", path: "t.csv") })
        #expect(ragged.description == "t.csv, line 3: 1 fields where the header has 2")
        let open = try #require(
            dataError { _ = try CSVTable(parsing: "a,b\n1,\"2\n3,4\n", path: "t.csv") })
        #expect(open.description == "t.csv, line 2: a quoted field is never closed")
        #expect(throws: DataError.self) { try CSVTable(parsing: "") }
    }

    @Test func textTargetsBecomeSortedClassesAndTextFeaturesOneHot() throws {
        let table = try CSVTable(
            parsing: "length,color,species\n1.5,red,b\n2,blue,a\n-3e1,red,b\n", path: "/data/x.csv")
        let data = try Dataset(csv: table, target: "species")
        #expect(data.isClassification)
        #expect(data.classNames == ["a", "b"])
        #expect(data.labels == [1, 0, 1])
        #expect(data.featureNames == ["length", "color=blue", "color=red"])
        #expect(data.elementShape == [3])
        #expect(try data.batch([0, 1, 2]).x.scalars == [1.5, 0, 1, 2, 1, 0, -30, 0, 1])
        #expect(data.name == "x.csv → species")
        #expect(data.description.contains("features: length, color=blue, color=red"))
    }

    @Test func numericTargetsFollowTheTask() throws {
        let table = try CSVTable(parsing: "x,grade,price\n1,3,10.5\n2,1,11\n3,3,12.25\n")
        let grades = try Dataset(csv: table, target: "grade", features: ["x"])
        #expect(grades.isClassification)
        #expect(grades.classNames == ["1", "3"])
        #expect(grades.labels == [1, 0, 1])
        let prices = try Dataset(csv: table, target: "price", features: ["x", "grade"])
        #expect(!prices.isClassification)
        #expect(try prices.batch([0, 1, 2]).y.scalars == [10.5, 11, 12.25])
        let regressed = try Dataset(csv: table, target: "grade", task: .regression)
        #expect(!regressed.isClassification)
        let classified = try Dataset(csv: table, target: "price", task: .classification)
        #expect(classified.classCount == 3)
        let text = try CSVTable(parsing: "x,y\n1,a\n")
        #expect(throws: DataError.self) { try Dataset(csv: text, target: "y", task: .regression) }
    }

    @Test func missingValuesAreReportedOrDropped() throws {
        let table = try CSVTable(parsing: "a,b,y\n1,2,0\n3,NA,1\n5, ,0\n7,8,?\n", path: "m.csv")
        let error = try #require(dataError { _ = try Dataset(csv: table, target: "y") })
        #expect(error.description.hasPrefix("m.csv, line 3: missing value in column \"b\""))
        let kept = try Dataset(csv: table, target: "y", dropMissing: true)
        #expect(kept.count == 1)
        let onlyA = try Dataset(csv: table, target: "y", features: ["a"], dropMissing: true)
        #expect(onlyA.count == 3)
    }

    @Test func unknownColumnsListTheColumns() throws {
        let table = try CSVTable(parsing: "a,b\n1,2\n", path: "c.csv")
        let error = try #require(dataError { _ = try Dataset(csv: table, target: "z") })
        #expect(error.description == "c.csv: no column \"z\"; the columns are \"a\", \"b\"")
        #expect(throws: DataError.self) { try Dataset(csv: table, target: "a", features: ["a"]) }
    }

    @Test func readsAFile() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.write(Array("x,y\n0.5,1\n1.5,0\n".utf8), to: "small.csv")
        let data = try Dataset(csv: path, target: "y")
        #expect(data.count == 2)
        #expect(try data.normalized().batch([0, 1]).x.scalars == [-1, 1])
        let latin1 = try fixtures.write([0x61, 0x0a, 0xe9, 0x0a], to: "latin1.csv")
        #expect(throws: DataError.self) { try CSVTable.read(latin1) }
    }
}
