import Testing

@testable import Webhooks

@Suite struct SafeURLTests {
    @Test(arguments: [
        "https://example.com", "HTTPS://EXAMPLE.COM/a", "http://example.com/a?b=1&c=2#d", "mailto:a@example.com",
        "https://example.com/\"quoted\"",
    ])
    func allowedSchemesAreLinks(address: String) {
        #expect(SafeURL.href(Array(address.utf8)) == Array(address.utf8))
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
        "java\nscript:alert(1)", "\u{1}javascript:alert(1)", "data:text/html,<b>", "vbscript:x", "file:///etc/passwd",
        "//example.com", "/relative", "example.com", "https:", "https://", "http:/example.com", "https:\\\\evil.com",
        "mailto:", "https://example.com/\u{7F}", "ｈttps://example.com",
    ])
    func everythingElseIsText(address: String) {
        #expect(SafeURL.href(Array(address.utf8)) == nil)
    }

    @Test func spacesArePercentEncodedAndLengthIsCapped() {
        #expect(SafeURL.href(Array("https://example.com/a b".utf8)) == Array("https://example.com/a%20b".utf8))
        let long = "https://example.com/" + String(repeating: "a", count: SafeURL.maximumLength)
        #expect(SafeURL.href(Array(long.utf8)) == nil)
    }
}
