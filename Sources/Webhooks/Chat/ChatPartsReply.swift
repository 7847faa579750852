import Foundation

/// A chat reply row that holds the messages still to post, the first one next: after it is accepted, the rest
/// becomes the next row. Shared by Slack and Mattermost so both keep long answers in order the same way.
protocol ChatPartsReply: Encodable {
    /// The number of the next message, counting from 1.
    var part: Int { get set }
    /// The messages still to post.
    var parts: [String] { get set }
}

extension ChatPartsReply {
    /// The row that continues this reply after its first message was accepted, or nil when none is left.
    func continuation(afterRow rowID: String) -> (id: String, payload: Data)? {
        guard self.parts.count > 1 else { return nil }
        var rest = self
        rest.part += 1
        rest.parts.removeFirst()
        // Only strings and integers: encoding cannot fail.
        return (OutboxRow.replyID(afterPart: self.part, id: rowID), try! JSONEncoder.webhooks.encode(rest))
    }
}
