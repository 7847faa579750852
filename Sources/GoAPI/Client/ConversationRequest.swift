import Common

/// One question for the Conversation API.
package struct ConversationRequest: Sendable, Hashable {
    /// The conversation to continue, or `nil` to create one.
    package var conversationID: String?
    /// The text to send, already prefixed with the speaker's name where that matters.
    package var text: String
    /// The model; `nil` picks the configured default (``GoAPIClient/Configuration/gizmoModel`` with a GPT).
    package var model: String?
    /// The custom GPT to talk to, if any.
    package var gizmoID: String?

    /// Creates a request.
    package init(conversationID: String?, text: String, model: String? = nil, gizmoID: String? = nil) {
        self.conversationID = conversationID
        self.text = text
        self.model = model
        self.gizmoID = gizmoID
    }
}

/// The JSON body of a conversation request: `{"model", "content": {"content_type": "text", "parts": [text]}}` and,
/// when a GPT is selected, `gizmo_id` (GoAPI expects the key only then, so it is omitted rather than sent as null).
///
/// Written by hand: `JSONEncoder` took longer to encode this small object than the rest of the request took to
/// prepare, on the path of every question.
struct ConversationRequestBody {
    var model: String
    var text: String
    var gizmoID: String?

    /// The UTF-8 JSON text.
    var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(self.text.utf8.count + 96)
        out.append(contentsOf: #"{"model":"#.utf8)
        JSONObjectWriter.appendString(self.model, to: &out)
        out.append(contentsOf: #","content":{"content_type":"text","parts":["#.utf8)
        JSONObjectWriter.appendString(self.text, to: &out)
        out.append(contentsOf: "]}".utf8)
        if let gizmoID = self.gizmoID {
            out.append(contentsOf: #","gizmo_id":"#.utf8)
            JSONObjectWriter.appendString(gizmoID, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}

/// A reply to a ``ConversationRequest``.
package struct ConversationReply: Sendable {
    /// The conversation the reply belongs to (new if the request created one or GoAPI had lost the old one).
    package var conversationID: String
    /// The assistant's text; partial when ``isComplete`` is false.
    package var text: String
    /// Whether the stream reported `end_turn`. An incomplete reply must not be presented as the answer.
    package var isComplete: Bool
    /// Why an incomplete reply stopped (idle timeout, reply timeout, connection cut).
    package var interruption: GoAPIError?
    /// Images the turn produced, with their download links where GoAPI gave one.
    package var images: [GeneratedImage]
    /// The stored conversation was unknown to GoAPI (404), so this reply started a new one.
    package var startedNewConversation: Bool
    /// The backup model answered because the Conversation API was unavailable.
    package var isFromBackup: Bool

    /// Creates a reply.
    package init(
        conversationID: String,
        text: String,
        isComplete: Bool,
        interruption: GoAPIError? = nil,
        images: [GeneratedImage] = [],
        startedNewConversation: Bool = false,
        isFromBackup: Bool = false
    ) {
        self.conversationID = conversationID
        self.text = text
        self.isComplete = isComplete
        self.interruption = interruption
        self.images = images
        self.startedNewConversation = startedNewConversation
        self.isFromBackup = isFromBackup
    }
}

/// An image a GPT tool produced during the turn.
package struct GeneratedImage: Sendable, Hashable {
    /// GoAPI's `file-…` id.
    package var fileID: String
    /// Where to download it, or `nil` when the download endpoint failed (the reply still goes out).
    package var downloadURL: String?

    /// Creates an image reference.
    package init(fileID: String, downloadURL: String?) {
        self.fileID = fileID
        self.downloadURL = downloadURL
    }
}
