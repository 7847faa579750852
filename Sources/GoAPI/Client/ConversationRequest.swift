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

/// The request body documented by GoAPI: `{"model", "content": {"content_type": "text", "parts": [...]}, "gizmo_id"}`.
struct ConversationRequestBody: Encodable {
    struct Content: Encodable {
        var contentType = "text"
        var parts: [String]

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type"
            case parts
        }
    }

    var model: String
    var content: Content
    var gizmoID: String?

    enum CodingKeys: String, CodingKey {
        case model, content
        case gizmoID = "gizmo_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.model, forKey: .model)
        try container.encode(self.content, forKey: .content)
        // GoAPI expects the key only when a GPT is selected, so it is omitted rather than sent as null.
        try container.encodeIfPresent(self.gizmoID, forKey: .gizmoID)
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
