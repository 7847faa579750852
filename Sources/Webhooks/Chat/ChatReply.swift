import Common

/// What chat platforms (Slack, Mattermost) post for an answer: the reply in Markdown with generated images as links
/// on their own lines, or, for an answer that did not complete, one short line saying why.
///
/// Text that arrived before an answer was cut off is never posted: it would read as the answer (DESIGN: chat users
/// get one line saying the answer was cut off and can be asked again; generic receivers get the `partial` text).
enum ChatReply {
    /// The Markdown to post for `answer`.
    static func markdown(for answer: WebhookAnswer) -> String {
        guard let reply = answer.reply, !answer.incomplete else {
            var reason = answer.error ?? "the answer did not complete; please ask again"
            while reason.hasSuffix(".") { reason.removeLast() }
            return "_Sorry, no answer this time: \(reason)._"
        }
        var text = reply.withUnixLineEndings
        for image in answer.images {
            text += "\n" + image
        }
        if answer.unavailableImages > 0 {
            let count = answer.unavailableImages
            text += "\n_(\(count) image\(count == 1 ? "" : "s") could not be fetched)_"
        }
        return text
    }
}
