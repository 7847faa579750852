import BridgeTesting
import Foundation

/// A Mattermost outgoing-webhook request as Mattermost sends it: the post's fields form-encoded, the webhook's
/// token among them, the trigger word at the start of the text.
struct MattermostOutgoingPost: Sendable {
    /// The channel the posts are in.
    static let channel = "e2echannel0town0square00"
    /// The trigger word the webhook fires on.
    static let triggerWord = "gpt"

    /// The post's id.
    var postID: String
    /// The form fields.
    var fields: [String: String]

    /// The post `postID` by alice saying `question` after the trigger word; `rootID` is the thread's root when the
    /// server says it (newer Mattermost servers do).
    init(
        postID: String,
        question: String,
        rootID: String? = nil,
        token: String = WebhookSecrets.mattermostToken
    ) {
        self.postID = postID
        var fields = [
            "token": token, "team_id": "e2eteam", "team_domain": "acme", "channel_id": Self.channel,
            "channel_name": "town-square", "timestamp": "1700000000000", "user_id": "e2euseralice",
            "user_name": "alice", "post_id": postID, "text": "\(Self.triggerWord) \(question)",
            "trigger_word": Self.triggerWord, "file_ids": "",
        ]
        fields["root_id"] = rootID
        self.fields = fields
    }

    /// The fields, form-encoded.
    var body: Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(
            self.fields.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8
        )
    }

    /// POSTs the post to the bridge's webhook server on `port`.
    func send(
        to port: Int,
        path: String = "/hooks/mattermost",
        timeout: Duration = .seconds(40)
    ) async throws -> TestHTTPClient.Response {
        try await TestHTTPClient.send(
            port: port,
            path: path,
            headers: [("content-type", "application/x-www-form-urlencoded")],
            body: self.body,
            timeout: timeout
        )
    }
}
