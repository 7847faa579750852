import Foundation

/// A whole answer kept for its full-reply page, because the chat it was posted to only showed its first lines.
///
/// The text is the model's Markdown as it arrived; it is rendered when the page is requested, so a better renderer
/// improves pages already stored. A page is gone once ``expiresAt`` has passed: answers may be private to a channel,
/// and the link to them travels further than the channel.
package struct ReplyPage: Sendable, Hashable {
    /// The unguessable id in the page's address (`/r/<id>`).
    package var id: String
    /// The whole reply, as Markdown.
    package var text: String
    /// When the page was saved.
    package var createdAt: Date
    /// From this moment on the page no longer exists.
    package var expiresAt: Date

    /// Creates a page.
    package init(id: String, text: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.text = text.storable
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
