import Foundation
import HTTPTypes

/// The body of a generic webhook request, `{"thread": "...", "user": "...", "text": "..."}`, checked field by field
/// so the sender learns exactly which field is wrong.
package struct GenericWebhookBody: Sendable, Hashable {
    /// The sender's conversation thread; non-empty.
    package var thread: String
    /// Who asked, if given.
    package var user: String?
    /// The question; non-empty.
    package var text: String

    /// Creates a body.
    package init(thread: String, user: String?, text: String) {
        self.thread = thread
        self.user = user
        self.text = text
    }

    /// Parses a raw body, or throws a 400 naming the first bad field.
    package init(parsing body: some DataProtocol) throws(WebhookHTTPError) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)), let object = json as? [String: Any] else {
            throw Self.invalid("the body is not a JSON object")
        }
        self.thread = try Self.requiredString("thread", in: object)
        self.user = try Self.optionalString("user", in: object)
        self.text = try Self.requiredString("text", in: object)
        // Slack and Mattermost skip a question with nothing in it; here the sender hears why nothing is asked.
        guard self.text.contains(where: { !Self.isBlank($0) }) else {
            throw Self.invalid("field \"text\" holds only white space")
        }
    }

    /// White space, or a character that shows nothing (a zero-width space or joiner, a byte-order mark).
    private static func isBlank(_ character: Character) -> Bool {
        character.isWhitespace || character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .format }
    }

    private static func requiredString(_ field: String, in object: [String: Any]) throws(WebhookHTTPError) -> String {
        guard let value = try Self.optionalString(field, in: object) else {
            throw Self.invalid("field \"\(field)\" is missing")
        }
        guard !value.isEmpty else { throw Self.invalid("field \"\(field)\" must not be empty") }
        return value
    }

    private static func optionalString(_ field: String, in object: [String: Any]) throws(WebhookHTTPError) -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        // JSONSerialization gives NSNumber for numbers and booleans, never String, so the cast is exact.
        guard let string = value as? String else { throw Self.invalid("field \"\(field)\" must be a string") }
        return string
    }

    private static func invalid(_ message: String) -> WebhookHTTPError {
        WebhookHTTPError(.badRequest, code: "invalid_body", message)
    }
}
