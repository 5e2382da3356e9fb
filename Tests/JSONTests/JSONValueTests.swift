import JSON
import Testing

@Suite struct JSONValueTests {
    @Test func literalsBuildTheExpectedCases() {
        let value: JSONValue = ["count": 3, "ratio": 0.5, "name": "x", "ok": true, "none": nil]
        #expect(value["count"] == .int(3))
        #expect(value["ratio"]?.doubleValue == 0.5)
        #expect(value["name"]?.stringValue == "x")
        #expect(value["ok"]?.boolValue == true)
        #expect(value["none"]?.isNull == true)
        #expect(value["missing"] == nil)
    }

    @Test func integralDoublesReadAsInts() {
        #expect(JSONValue.double(4).intValue == 4)
        #expect(JSONValue.double(4.5).intValue == nil)
        #expect(JSONValue.double(1e300).intValue == nil)
    }
}
