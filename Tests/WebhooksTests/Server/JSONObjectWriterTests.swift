import Foundation
import Testing

@testable import Common
@testable import Webhooks

@Suite struct JSONObjectWriterTests {
    /// Strings a sender controls (a thread, a user, a question, a webhook-id) that a careless writer would break out
    /// of, plus every ASCII control character and text outside ASCII.
    static let hostile: [String] = [
        "",
        "plain",
        #"quote " inside"#,
        #"back\slash \" and \\ pairs"#,
        #"","status":"delivered","x":""#,
        "</script><script>alert(1)</script>",
        "a/b//c",
        "line\nbreak\r\ntab\there",
        "nul\u{0}byte",
        String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }),
        "\u{7F} delete",
        "héllo wörld ✓ 😀 \u{2028}\u{2029} \u{FEFF}",
        String(repeating: "\"\\\n", count: 200),
    ]

    /// What the writer replaces, for comparison.
    private struct Reference: Encodable {
        var id: String
        var status: Int
        var thread: String
    }

    @Test(arguments: Self.hostile)
    func writesWhatJSONEncoderWrites(value: String) throws {
        var writer = JSONObjectWriter()
        writer.add("id", value)
        writer.add("status", 202)
        writer.add("thread", value)
        let written = writer.finish()
        #expect(written == (try JSONEncoder.webhooks.encode(Reference(id: value, status: 202, thread: value))))
        let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect(object["id"] as? String == value)
        #expect(object["thread"] as? String == value)
        #expect(object["status"] as? Int == 202)
    }

    @Test(arguments: Self.hostile)
    func aQuotedStringIsWhatJSONEncoderWritesForIt(value: String) throws {
        let encoded = String(decoding: try JSONEncoder.webhooks.encode(value), as: UTF8.self)
        #expect(JSONObjectWriter.quoted(value) == encoded)
    }

    @Test func anEmptyObjectIsBraces() {
        #expect(JSONObjectWriter().finish() == Data("{}".utf8))
    }

    @Test func controlCharactersUseTheShortEscapesOrLowercaseHex() {
        var writer = JSONObjectWriter()
        writer.add("s", "\u{8}\u{C}\n\r\t\u{1}\u{1F}\"\\/")
        #expect(String(decoding: writer.finish(), as: UTF8.self) == #"{"s":"\b\f\n\r\t\u0001\u001f\"\\/"}"#)
    }
}
