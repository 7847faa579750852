import Foundation
import Store

/// Saves answers too long for their chat as full-reply pages and hands back their links, which the webhook
/// server answers at `/r/<id>` until the page expires.
package struct ReplyPagePublisher: Sendable {
    /// The path every page lives under; webhook endpoints may not be configured below it.
    package static let pathPrefix = "/r/"

    /// Where the pages are kept.
    let store: any BridgeStore
    /// `webhooks.publicBaseURL` without a trailing slash.
    let publicBaseURL: String
    /// How long a page stays reachable.
    let lifetime: Duration

    /// Creates a publisher for pages reached under `publicBaseURL`.
    package init(store: any BridgeStore, publicBaseURL: String, lifetime: Duration) {
        var base = Substring(publicBaseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        self.store = store
        self.publicBaseURL = String(base)
        self.lifetime = lifetime
    }

    /// Saves `markdown` as a new page created at `now` and returns its link.
    package func publish(_ markdown: String, now: Date) async throws -> String {
        let id = ReplyPageID.random()
        try await self.store.saveReplyPage(
            ReplyPage(
                id: id,
                text: markdown,
                createdAt: now,
                expiresAt: now.addingTimeInterval(self.lifetime.timeInterval)
            )
        )
        return self.link(for: id)
    }

    /// The public address of the page `id`.
    package func link(for id: String) -> String {
        "\(self.publicBaseURL)\(Self.pathPrefix)\(id)"
    }
}
