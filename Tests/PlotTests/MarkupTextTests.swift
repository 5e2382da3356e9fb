import Display
import Testing

@testable import Plot

/// The one HTML/XML escaper, and the places that use it.
@Suite struct MarkupTextTests {
    @Test func escapesAllFiveMarkupCharacters() {
        #expect(
            MarkupText.escaped(#"<a href="x">Tom & 'Jerry'</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    }

    @Test func keepsLineBreaksAndDropsWhatXMLForbids() {
        #expect(MarkupText.escaped("a\nb\tc\u{01}d\u{FFFE}") == "a\nb\tcd")
    }

    @Test func tablesAndChartsEscapeQuotesAndApostrophes() throws {
        let table = Table(columns: ["it's"], rows: [[.text("<b>\"x\"</b>")]])
        let html = table.html()
        #expect(html.contains("it&#39;s"))
        #expect(html.contains("&lt;b&gt;&quot;x&quot;&lt;/b&gt;"))
        var chart = try Chart.bar(
            categories: ["a'b"], series: [BarSeries(values: [1])], valueAxis: Axis())
        chart.title = "Tom & 'Jerry'"
        let svg = chart.svg()
        #expect(svg.contains("Tom &amp; &#39;Jerry&#39;"))
        #expect(!svg.contains("'Jerry'"))
    }
}
