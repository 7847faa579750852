import GoAPI

extension ConversationReply {
    /// The Markdown of this answer's full-reply page: the text, then the images the turn produced (as Markdown
    /// images, which the page shows when their address is HTTPS).
    var pageMarkdown: String {
        let images = self.images.compactMap { image in image.downloadURL.map { "![generated image](<\($0)>)" } }
        return ([self.text] + images).joined(separator: "\n\n")
    }
}
