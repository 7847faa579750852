import Testing

@testable import goapi_bridge

@Suite struct StringQuotedTests {
    @Test(arguments: [
        ("design", #""design""#),
        ("say \"hi\"", #""say \"hi\"""#),
        ("a\\b", #""a\\b""#),
        ("two\nlines\t", #""two\nlines\t""#),
        ("bell\u{7}", #""bell\u0007""#),
        ("abc\u{202E}fed", #""abc\u202Efed""#),
        ("next\u{85}line\u{FEFF}", #""next\u0085line\uFEFF""#),
    ])
    func escapesLikeJSONSoTheValueCanBeFoundInTheFile(value: String, quoted: String) {
        #expect(value.quoted == quoted)
    }

    @Test func shortensLongValues() {
        let quoted = String(repeating: "x", count: 200).quoted
        #expect(quoted == "\"" + String(repeating: "x", count: 80) + "…\"")
    }

    @Test(arguments: [
        ("https://bridge:S3cr3t@api.goapi.ai/?region=eu", #""https://…@api.goapi.ai/?…""#),
        ("https://api.goapi.ai/?api_key=S3cr3t", #""https://api.goapi.ai/?…""#),
        ("https://api.goapi.ai/#S3cr3t?x", #""https://api.goapi.ai/#…""#),
        ("https://api.goapi.ai/?next=https://a:b@c", #""https://api.goapi.ai/?…""#),
        ("https//bridge:S3cr3t@api.goapi.ai", #""https//…@api.goapi.ai""#),
        ("gptbot:S3cr3t@irc.example.org", #""…@irc.example.org""#),
        ("https://user:pa/ss@host/", #""https://…@host/""#),
        ("https://example.com/path", #""https://example.com/path""#),
    ])
    func credentialsAndQueriesInAURLAreLeftOut(value: String, quoted: String) {
        #expect(value.quotedWithoutCredentials == quoted)
    }
}
