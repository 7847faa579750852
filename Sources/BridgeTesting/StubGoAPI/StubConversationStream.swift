import Common
import Foundation
import Webhooks

/// Builds event streams in the shape GoAPI documents: the opening system message (with its misleading
/// `end_turn: true`), the user echo, a moderation event, cumulative assistant snapshots, the final message with
/// `end_turn: true`, and `data: [DONE]`; events are separated by a line holding one space, as in GoAPI's example.
package enum StubConversationStream {
    /// The `data:` payloads of a complete turn.
    package static func events(
        conversationID: String,
        question: String,
        reply: String,
        imageFileIDs: [String] = [],
        snapshots: Int = 4,
        endTurn: Bool = true
    ) -> [String] {
        var events = [
            self.message(conversationID, role: "system", parts: [""], endTurn: true, status: "finished_successfully"),
            self.message(
                conversationID,
                role: "user",
                parts: [question],
                endTurn: nil,
                status: "finished_successfully"
            ),
            #"{"conversation_id":\#(JSONObjectWriter.quoted(conversationID)),"is_completion":false,"message_id":"user-message","#
                + #""moderation_response":{"blocked":false,"flagged":false,"moderation_id":"modr-stub"}}"#,
        ]
        for fileID in imageFileIDs {
            events.append(self.toolImage(conversationID, fileID: fileID))
        }
        for prefix in self.prefixes(of: reply, count: snapshots) {
            events.append(
                self.message(conversationID, role: "assistant", parts: [prefix], endTurn: nil, status: "in_progress")
            )
        }
        if endTurn {
            events.append(
                self.message(
                    conversationID,
                    role: "assistant",
                    parts: [reply],
                    endTurn: true,
                    status: "finished_successfully"
                )
            )
            events.append("[DONE]")
        }
        return events
    }

    /// Frames payloads as the wire bytes GoAPI sends.
    package static func wire(_ events: [String]) -> String {
        events.map { "data: \($0)\n \n" }.joined()
    }

    /// An event whose `error` field is set.
    package static func errorEvent(conversationID: String, message: String) -> String {
        self.json(["conversation_id": conversationID, "error": message, "message": NSNull()])
    }

    /// `count` growing prefixes of `text`, cut at character boundaries, the last one shorter than `text`.
    static func prefixes(of text: String, count: Int) -> [String] {
        let characters = Array(text)
        guard characters.count > 1, count > 0 else { return [] }
        return (1...count).compactMap { index in
            let length = characters.count * index / (count + 1)
            return length > 0 ? String(characters[..<length]) : nil
        }
    }

    /// A message event, written out directly: benchmarks stream thousands of these, and JSONSerialization with
    /// sorted keys made the stub slower than the bridge it stands in front of. Same keys, in the same sorted order.
    static func message(
        _ conversationID: String,
        role: String,
        parts: [String],
        endTurn: Bool?,
        status: String
    ) -> String {
        let partList = parts.map(JSONObjectWriter.quoted).joined(separator: ",")
        let endTurnValue = endTurn.map { $0 ? "true" : "false" } ?? "null"
        return #"{"conversation_id":\#(JSONObjectWriter.quoted(conversationID)),"error":null,"message":{"author":"#
            + #"{"metadata":{},"name":null,"role":\#(JSONObjectWriter.quoted(role))},"channel":null,"#
            + #""content":{"content_type":"text","parts":[\#(partList)]},"create_time":null,"#
            + #""end_turn":\#(endTurnValue),"id":"\#(UUID().uuidString.lowercased())","#
            + #""metadata":{"model_slug":"gpt-4o"},"recipient":"all","status":\#(JSONObjectWriter.quoted(status)),"#
            + #""update_time":null,"weight":1}}"#
    }

    static func toolImage(_ conversationID: String, fileID: String) -> String {
        self.json([
            "message": [
                "id": UUID().uuidString.lowercased(),
                "author": ["role": "tool", "name": "dalle.text2im"],
                "content": [
                    "content_type": "multimodal_text",
                    "parts": [
                        [
                            "content_type": "image_asset_pointer", "asset_pointer": "file-service://\(fileID)",
                            "size_bytes": 1000, "width": 1024, "height": 1024,
                        ]
                    ],
                ] as [String: Any],
                "status": "finished_successfully", "end_turn": NSNull(), "recipient": "all",
            ] as [String: Any],
            "conversation_id": conversationID, "error": NSNull(),
        ])
    }

    static func json(_ object: [String: Any]) -> String {
        // The inputs are plain strings, numbers and nulls, which JSONSerialization always accepts.
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
