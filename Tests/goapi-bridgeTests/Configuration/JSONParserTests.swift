import Testing

@testable import goapi_bridge

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"o": {"a": [1, -2.5e3, 0.5, true, false, null, "x", {}, []]}} "#)
        #expect(value == ["o": ["a": [1, -2500, 0.5, true, false, nil, "x", [:], []]]])
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let value = try parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{1F600}"))
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == [:])
    }

    @Test(arguments: [
        ("", "the file is empty", 1, 1),
        ("   ", "the file is empty", 1, 4),
        (#"{"a": 1,}"#, "trailing comma before '}'", 1, 8),
        ("[1,\n]", "trailing comma before ']'", 1, 3),
        ("{\n  \"a\": [\n    1,\n  ]\n}", "trailing comma before ']'", 3, 6),
        (#"{"a" 1}"#, "expected ':' after a key, found '1'", 1, 6),
        (#"{"a": 1 "b": 2}"#, #"expected ',' or '}' after an object member, found '"'"#, 1, 9),
        ("[1 2]", "expected ',' or ']' after an array element, found '2'", 1, 4),
        ("{'a': 1}", "expected a key in double quotes, found '''", 1, 2),
        (#"{"level": info}"#, #"unknown word "info""#, 1, 11),
        (#"{"a": tru}"#, #"unknown word "tru""#, 1, 7),
        (#"{"a": nullx}"#, #"unknown word "nullx""#, 1, 7),
        // An API key or password written without quotes is not echoed into the terminal or the journal.
        (#"{"apiKey": sk-live-S3cr3tPassw0rd}"#, "unquoted value (not shown, in case it is a secret)", 1, 12),
        (#"{"password": hunter2}"#, "unquoted value (not shown, in case it is a secret)", 1, 14),
        (#"{"token": abcdefghijklmnopq}"#, "unquoted value (not shown, in case it is a secret)", 1, 11),
        ("// settings\n{}", "comments are not allowed in JSON", 1, 1),
        (#"{"a": 01}"#, "numbers must not have leading zeros", 1, 8),
        (#"{"a": 1.}"#, "expected a digit after the decimal point, found '}'", 1, 9),
        (#"{"a": -}"#, "expected a digit after '-', found '}'", 1, 8),
        (#"{"a": 1e999}"#, "number 1e999 is too large", 1, 7),
        (#""abc"#, "unterminated string", 1, 5),
        ("\"a\tb\"", "control characters must be escaped in strings", 1, 3),
        (#""\x""#, #"invalid escape sequence '\x'"#, 1, 3),
        (#""\u12""#, #"expected four hex digits after \u"#, 1, 6),
        (#""\ud800x""#, #"unpaired UTF-16 surrogate in \u escape"#, 1, 2),
        (#""\udc00""#, #"unpaired UTF-16 surrogate in \u escape"#, 1, 2),
        ("{} x", "unexpected 'x' after the end of the document", 1, 4),
        (#"{"a": 1, "a": 2}"#, #"duplicate key "a""#, 1, 10),
        ("{\"é\": x}", #"unknown word "x""#, 1, 7),
        ("{\"a\": ", "expected a value, found the end of the file", 1, 7),
        ("[" + String(repeating: "[", count: 64), "nesting deeper than 64 levels", 1, 65),
    ])
    func reportsSyntaxErrorsWhereTheyAre(text: String, message: String, line: Int, column: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try parse(text) }
        #expect(error?.message == message)
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test func suggestsQuotesForBareWords() {
        let error = #expect(throws: JSONSyntaxError.self) { try parse(#"{"level": info}"#) }
        #expect(error?.hint == "strings need double quotes")
    }

    @Test func rejectsInvalidUTF8() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(error?.message == "the file is not valid UTF-8")
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try parse(text) }
    }
}
