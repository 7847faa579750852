import Testing

@testable import goapi_bridge

@Suite struct StringQuotedTests {
    @Test(arguments: [
        ("design", #""design""#),
        ("say \"hi\"", #""say \"hi\"""#),
        ("a\\b", #""a\\b""#),
        ("two\nlines\t", #""two\nlines\t""#),
        ("bell\u{7}", #""bell\u0007""#),
    ])
    func escapesLikeJSONSoTheValueCanBeFoundInTheFile(value: String, quoted: String) {
        #expect(value.quoted == quoted)
    }

    @Test func shortensLongValues() {
        let quoted = String(repeating: "x", count: 200).quoted
        #expect(quoted == "\"" + String(repeating: "x", count: 80) + "…\"")
    }
}
