import Foundation
import Testing

@testable import GoAPI

@Suite struct ConversationRequestBodyTests {
    @Test func theBodyIsGoAPIsDocumentedShape() {
        let plain = ConversationRequestBody(model: "gpt-4o", text: "hi", gizmoID: nil)
        #expect(
            String(decoding: plain.json, as: UTF8.self)
                == #"{"model":"gpt-4o","content":{"content_type":"text","parts":["hi"]}}"#
        )
        let gpt = ConversationRequestBody(model: "gpt-4o", text: "hi", gizmoID: "g-abc")
        #expect(
            String(decoding: gpt.json, as: UTF8.self)
                == #"{"model":"gpt-4o","content":{"content_type":"text","parts":["hi"]},"gizmo_id":"g-abc"}"#
        )
    }

    @Test(arguments: [
        "plain", "", #"quote " and backslash \ and slash /"#, "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "accents é ü, CJK 漢字, emoji 👩🏽‍💻", "\u{2028}\u{2029}", #"{"json":"inside"}"#, "\\u0041 not an escape",
    ])
    func anyTextIsSentExactlyAsWritten(text: String) throws {
        let body = ConversationRequestBody(model: "m\"odel", text: text, gizmoID: "g-\\x")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.json)) as? [String: Any])
        let content = try #require(object["content"] as? [String: Any])
        #expect(content["parts"] as? [String] == [text])
        #expect(content["content_type"] as? String == "text")
        #expect(object["model"] as? String == "m\"odel")
        #expect(object["gizmo_id"] as? String == "g-\\x")
    }
}
