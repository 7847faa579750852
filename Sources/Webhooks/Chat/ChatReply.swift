/// What chat platforms (Slack, Mattermost) post for an answer: the reply in Markdown, or what arrived and why it
/// stopped, with generated images as links on their own lines.
enum ChatReply {
    /// The Markdown to post for `answer`.
    static func markdown(for answer: WebhookAnswer) -> String {
        var text: String
        if let reply = answer.reply, !answer.incomplete {
            text = reply
        } else {
            let reason = answer.error ?? "the answer did not complete"
            if let partial = answer.partial, !partial.isEmpty {
                text = partial + "\n\n_(The answer was cut off: \(reason).)_"
            } else {
                text = "_Sorry, no answer this time: \(reason)._"
            }
        }
        for image in answer.images {
            text += "\n" + image
        }
        return text
    }
}
