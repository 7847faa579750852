import Foundation
import HTTPTypes

/// A Mattermost outgoing-webhook request: form-encoded (Mattermost's default) or JSON, with the same field names
/// either way. Only the fields the bridge uses are kept.
struct MattermostPayload: Sendable, Hashable {
    /// The webhook's token; checked before anything else is read.
    var token: String
    /// The channel the post is in.
    var channelID: String
    /// The triggering post.
    var postID: String
    /// The thread root, when the sender says (newer servers do; otherwise it is looked up).
    var rootID: String?
    /// The author's user name, else id.
    var user: String?
    /// The author's user id, which tells the bot's own posts apart.
    var userID: String?
    /// The post's text, trigger word included.
    var text: String
    /// The trigger word that matched, if any.
    var triggerWord: String?

    /// The raw fields of a body, before the token is checked.
    struct Fields: Sendable {
        fileprivate var values: [String: String]

        /// The token, or nil when absent.
        var token: String? { self.values["token"] }
    }

    /// Reads the fields of a form-encoded or JSON body; throws a 400 when it is neither.
    static func fields(of body: [UInt8], json: Bool) throws(WebhookHTTPError) -> Fields {
        if json {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw Self.invalid("the body is not a JSON object")
            }
            // Numbers (such as `timestamp`) are not needed; only string fields are kept.
            return Fields(values: object.compactMapValues { $0 as? String })
        }
        guard let text = String(validating: body, as: UTF8.self) else { throw Self.invalid("the body is not UTF-8") }
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.formDecoded(parts[0]) else { throw Self.invalid("the form body is malformed") }
            guard let value = Self.formDecoded(parts.count > 1 ? parts[1] : "") else {
                throw Self.invalid("field \"\(name)\" is not valid form encoding")
            }
            values[name] = value
        }
        return Fields(values: values)
    }

    /// The payload from checked fields, or a 400 naming the first missing field.
    init(_ fields: Fields) throws(WebhookHTTPError) {
        func required(_ name: String) throws(WebhookHTTPError) -> String {
            guard let value = fields.values[name], !value.isEmpty else {
                throw MattermostPayload.invalid("field \"\(name)\" is missing")
            }
            return value
        }
        func optional(_ name: String) -> String? {
            fields.values[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        self.token = try required("token")
        self.channelID = try required("channel_id")
        self.postID = try required("post_id")
        self.text = try required("text")
        self.rootID = optional("root_id")
        self.userID = optional("user_id")
        self.user = optional("user_name") ?? self.userID
        self.triggerWord = optional("trigger_word")
    }

    /// The question: the text without the trigger word that starts it.
    var question: String {
        var text = Substring(self.text)
        if let trigger = self.triggerWord, text.hasPrefix(trigger) { text = text.dropFirst(trigger.count) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; nil for invalid escapes.
    private static func formDecoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func invalid(_ message: String) -> WebhookHTTPError {
        WebhookHTTPError(.badRequest, code: "invalid_body", message)
    }
}
