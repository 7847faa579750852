import Testing

@testable import Webhooks

@Suite struct WebhookResponderMediaTypeTests {
    @Test(arguments: [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        (" \tapplication/x-www-form-urlencoded \t; charset=UTF-8", "application/x-www-form-urlencoded"),
        ("application/json;", "application/json"),
        (";charset=utf-8", ""),
        ("", ""),
        ("text/plain; boundary=\"a;b\"", "text/plain"),
        ("applicatiön/json", "applicatiön/json"),
    ])
    func theMediaTypeIsTheLowercasedPartBeforeParameters(header: String, expected: String) {
        #expect(WebhookResponder.mediaType(header) == expected)
    }

    @Test func noHeaderIsNoMediaType() {
        #expect(WebhookResponder.mediaType(nil) == nil)
    }
}
