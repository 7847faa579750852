import Foundation
import Store
import Synchronization

/// A Mattermost async endpoint's part in the outbox: the question row holds the post, each reply row one post made
/// as the bot with `POST {serverURL}/api/v4/posts` into the question's thread.
///
/// Older Mattermost servers do not say which thread a triggering post is in, so the root is looked up with
/// `GET /api/v4/posts/{post_id}` before asking: replies in a thread then continue that thread's conversation.
struct MattermostOutbox: OutboxEndpoint {
    /// The server's base URL, e.g. `https://chat.example.com`.
    let serverURL: String
    /// The bot account's access token.
    let botToken: String
    /// Makes the API calls.
    let sender: any ReplySender
    /// Remembers the bot's own posts, so a channel-wide webhook firing on them does not answer the bot.
    let remember: @Sendable (_ postID: String) async -> Void
    /// The bot account's user id, once known: a channel-wide webhook can deliver the bot's post before the post's
    /// id is remembered (Mattermost fires it while the post is being created), so its author is checked as well.
    let botUser = BotUser()

    var kind: String { Self.kind }

    /// The protocol's name in outbox targets.
    static let kind = "mattermost"

    /// The thread as far as the webhook said: a post with `root_id` is in that thread, one without is taken as a
    /// root. Stock outgoing webhooks send no `root_id`, so their replies each count as a thread of their own here;
    /// once looked up, the answerer's per-thread line keeps them in order (holding their slots meanwhile).
    func thread(ofQuestion payload: Data) -> String? {
        guard let queued = try? JSONDecoder().decode(QueuedQuestion.self, from: payload) else { return nil }
        return "\(queued.channelID)/\(queued.rootID ?? queued.postID)"
    }

    func readQuestion(_ payload: Data, path: String) async -> QuestionReading {
        guard let queued = try? JSONDecoder().decode(QueuedQuestion.self, from: payload) else {
            return .drop("unreadable queued Mattermost question")
        }
        if let author = queued.userID {
            switch await self.botUserID() {
            case .success(author): return .ignore("the bot's own post")
            case .success: break
            case .failure(let error): return .retryLater(error.reason)
            }
        }
        let root: String
        if let known = queued.rootID {
            root = known
        } else {
            switch await self.threadRoot(of: queued.postID) {
            case .success(let found): root = found
            case .failure(.gone(let reason)), .failure(.refused(let reason)): return .drop(reason)
            case .failure(.unavailable(let reason)): return .retryLater(reason)
            }
        }
        let question = WebhookQuestion(
            endpoint: path,
            thread: "\(queued.channelID)/\(root)",
            user: queued.user,
            text: queued.text
        )
        return .ask(question) { answer in
            let reply = PendingReply(
                channelID: queued.channelID,
                rootID: root,
                part: 1,
                parts: MattermostWebhookHandler.splitter.parts(
                    of: MattermostText.withoutChannelMentions(ChatReply.markdown(for: answer))
                )
            )
            return (try? JSONEncoder.webhooks.encode(reply)) ?? Data()
        }
    }

    func deliver(_ row: OutboxDelivery) async -> ReplyAttempt {
        guard let reply = try? JSONDecoder().decode(PendingReply.self, from: row.payload),
            let message = reply.parts.first
        else { return ReplyAttempt(.refused("unreadable queued Mattermost reply"), reference: row.id) }
        let reference = "\(reply.channelID)/\(reply.rootID) part \(reply.part)"
        let body = ["channel_id": reply.channelID, "root_id": reply.rootID, "message": message]
        let request = OutgoingRequest(
            method: "POST",
            url: self.serverURL + "/api/v4/posts",
            headers: self.headers,
            body: Array((try? JSONEncoder.webhooks.encode(body)) ?? Data())
        )
        let result: ReplySendResult
        do {
            result = try await self.sender.send(request)
        } catch {
            return ReplyAttempt(.failed("\(error)"), reference: reference)
        }
        switch result.status {
        case 200..<300:
            if let post = try? JSONDecoder().decode(Post.self, from: Data(result.body)) {
                if let author = post.userID { self.botUser.learn(author) }
                await self.remember(post.id)
            }
        case 400, 403, 404:
            // A bad request, a bot not allowed in the channel, or a deleted channel or thread: retrying cannot help.
            let detail = (try? JSONDecoder().decode(APIError.self, from: Data(result.body)))?.message
            return ReplyAttempt(
                .refused("Mattermost refused the post (\(result.status)): \(detail ?? "no detail")"),
                reference: reference
            )
        default:
            return ReplyAttempt(.response(status: result.status, retryAfter: result.retryAfter), reference: reference)
        }
        return ReplyAttempt(
            .response(status: result.status, retryAfter: nil),
            next: reply.continuation(afterRow: row.id),
            reference: reference
        )
    }

    private var headers: [(name: String, value: String)] {
        [("content-type", "application/json"), ("authorization", "Bearer \(self.botToken)")]
    }

    /// Why a lookup (a thread root, the bot account) failed.
    enum LookupError: Error {
        /// The post no longer exists: there is nothing to answer.
        case gone(String)
        /// The server could not be asked now.
        case unavailable(String)
        /// The server refused the bot for this post (403): asking again cannot help, and retrying for the whole
        /// give-up age only hid the question's loss for a day.
        case refused(String)

        /// The reason, in words for the outbox's log.
        var reason: String {
            switch self {
            case .gone(let reason), .unavailable(let reason), .refused(let reason): reason
            }
        }
    }

    /// The id of the thread root `postID` belongs to (itself when it starts the thread).
    private func threadRoot(of postID: String) async -> Result<String, LookupError> {
        let request = OutgoingRequest(
            method: "GET",
            url: self.serverURL + "/api/v4/posts/"
                + (postID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? postID),
            headers: self.headers
        )
        do {
            let result = try await self.sender.send(request)
            switch result.status {
            case 200:
                guard let post = try? JSONDecoder().decode(Post.self, from: Data(result.body)) else {
                    return .failure(.unavailable("Mattermost answered the post lookup with an unreadable post"))
                }
                return .success(post.rootID.flatMap { $0.isEmpty ? nil : $0 } ?? postID)
            case 404:
                return .failure(.gone("the post was deleted before it was answered"))
            case 403:
                // As a 403 on the post itself: the bot account cannot see the channel. (A 401, a bad token, is
                // retried as there: it holds every question until the operator fixes it, and then they go through.)
                return .failure(
                    .refused("Mattermost refused the post lookup with 403: the bot account must be in the channel")
                )
            default:
                return .failure(.unavailable("Mattermost answered the post lookup with \(result.status)"))
            }
        } catch {
            return .failure(.unavailable("post lookup failed: \(error)"))
        }
    }

    /// The bot account's user id: learned from its first post, or asked for with `GET /api/v4/users/me` when a
    /// question comes before any post.
    private func botUserID() async -> Result<String, LookupError> {
        if let known = self.botUser.id { return .success(known) }
        let request = OutgoingRequest(method: "GET", url: self.serverURL + "/api/v4/users/me", headers: self.headers)
        do {
            let result = try await self.sender.send(request)
            guard result.status == 200, let user = try? JSONDecoder().decode(User.self, from: Data(result.body)) else {
                return .failure(.unavailable("Mattermost answered the bot account lookup with \(result.status)"))
            }
            self.botUser.learn(user.id)
            return .success(user.id)
        } catch {
            return .failure(.unavailable("bot account lookup failed: \(error)"))
        }
    }

    /// The fields of a Mattermost post the bridge reads.
    struct Post: Decodable {
        /// The post id.
        var id: String
        /// The thread root; empty or absent for a root post.
        var rootID: String?
        /// The author.
        var userID: String?

        private enum CodingKeys: String, CodingKey {
            case id
            case rootID = "root_id"
            case userID = "user_id"
        }
    }

    /// The fields of a Mattermost user the bridge reads.
    struct User: Decodable {
        /// The user id.
        var id: String
    }

    /// Mattermost's error body.
    struct APIError: Decodable {
        /// What went wrong.
        var message: String
    }

    /// A question row's payload.
    struct QueuedQuestion: Codable, Hashable {
        /// The triggering post.
        var postID: String
        /// Its channel.
        var channelID: String
        /// Its thread root, when the request said.
        var rootID: String?
        /// Who asked.
        var user: String?
        /// The author's user id; absent in rows queued before it was kept.
        var userID: String?
        /// The question.
        var text: String
    }

    /// A reply row's payload: where it goes and the posts still to make, the first one next.
    struct PendingReply: Codable, Hashable, ChatPartsReply {
        /// The channel id.
        var channelID: String
        /// The thread root the posts reply to.
        var rootID: String
        /// The number of the next post, counting from 1.
        var part: Int
        /// The posts still to make, in Markdown.
        var parts: [String]
    }
}

/// The bot account's user id once known; shared by every copy of its endpoint's ``MattermostOutbox``.
final class BotUser: Sendable {
    private let state = Mutex<String?>(nil)

    /// The id, when known.
    var id: String? {
        self.state.withLock { $0 }
    }

    /// Records the id.
    func learn(_ id: String) {
        self.state.withLock { $0 = id }
    }
}
