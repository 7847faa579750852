/// The JSON carried by one `data:` line of a GoAPI conversation stream.
///
/// Only the fields the reducer needs to classify an event are decoded; everything else (metadata, weights,
/// moderation details) is skipped so that unknown or changing fields in GoAPI's output never break a reply. The
/// message text is not decoded here: most events are cumulative snapshots that the next one replaces, so the
/// reducer reads `parts` (through ``ConversationEventParts``) only for the events whose text it actually needs.
struct ConversationEvent: Decodable {
    var message: Message?
    var conversationID: String?
    var error: EventError?

    enum CodingKeys: String, CodingKey {
        case message
        case conversationID = "conversation_id"
        case error
        case code
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.conversationID = try container.decodeIfPresent(String.self, forKey: .conversationID)
        self.error = try container.decodeIfPresent(EventError.self, forKey: .error)
        // GoAPI's error envelope (`{"code": 500, "message": "…"}`) sent as an event is an error, not a snapshot
        // that fails to read. Checked by key first: snapshots have no `code`, and a failed decode costs.
        if container.contains(.code), let text = try? container.decode(String.self, forKey: .message) {
            self.message = nil
            self.error = self.error ?? EventError(message: text)
        } else {
            self.message = try container.decodeIfPresent(Message.self, forKey: .message)
        }
    }

    /// A message snapshot; GoAPI resends the whole message (cumulative `parts`) on every update.
    struct Message: Decodable {
        var id: String?
        var author: Author
        var content: Content?
        var endTurn: Bool?
        var recipient: String?

        enum CodingKeys: String, CodingKey {
            case id, author, content, recipient
            case endTurn = "end_turn"
        }
    }

    /// Who wrote a message: `system`, `user`, `assistant` or `tool`.
    struct Author: Decodable {
        var role: String
    }

    /// A message body's type: `text`, `multimodal_text`, or `code` for tool calls.
    struct Content: Decodable {
        var contentType: String

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type"
        }
    }

    /// The event-level `error` field: usually `null`, otherwise a string or an object with a message.
    struct EventError: Decodable {
        var message: String

        private enum CodingKeys: String, CodingKey {
            case message, detail, code
        }

        init(message: String) {
            self.message = message
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.message = text
                return
            }
            let object = try decoder.container(keyedBy: CodingKeys.self)
            self.message =
                (try? object.decode(String.self, forKey: .message))
                ?? (try? object.decode(String.self, forKey: .detail))
                ?? (try? object.decode(String.self, forKey: .code))
                ?? "unspecified error"
        }
    }
}

/// The `message.content.parts` of an event, decoded only when the reducer needs the text or images.
struct ConversationEventParts: Decodable {
    var message: Message

    struct Message: Decodable {
        var content: Content
    }

    struct Content: Decodable {
        var parts: [Part]?
    }

    /// The text parts concatenated.
    var text: String {
        var text = ""
        for case .text(let piece) in self.message.content.parts ?? [] {
            text += piece
        }
        return text
    }

    /// `file-…` ids of image asset pointers (`file-service://file-…`).
    var imageFileIDs: [String] {
        var ids: [String] = []
        for case .imageAssetPointer(let pointer) in self.message.content.parts ?? [] {
            let fileID = pointer.hasPrefix("file-service://") ? String(pointer.dropFirst(15)) : pointer
            if !fileID.isEmpty { ids.append(fileID) }
        }
        return ids
    }

    /// One element of `content.parts`: a string, or an object such as an `image_asset_pointer`.
    enum Part: Decodable {
        case text(String)
        case imageAssetPointer(String)
        case other

        private enum CodingKeys: String, CodingKey {
            case contentType = "content_type"
            case assetPointer = "asset_pointer"
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .text(text)
                return
            }
            guard let object = try? decoder.container(keyedBy: CodingKeys.self),
                (try? object.decode(String.self, forKey: .contentType)) == "image_asset_pointer",
                let pointer = try? object.decode(String.self, forKey: .assetPointer)
            else {
                self = .other
                return
            }
            self = .imageAssetPointer(pointer)
        }
    }
}
