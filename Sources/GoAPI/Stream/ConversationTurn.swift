/// What a finished conversation stream amounted to.
package struct ConversationTurn: Sendable, Hashable {
    /// GoAPI's id for the conversation, once any event has named it.
    package var conversationID: String?
    /// The assistant's reply when ``isComplete``; otherwise the text it had written when the stream stopped.
    package var text: String
    /// `true` only when the assistant message to `all` reported `end_turn`.
    package var isComplete: Bool
    /// `file-…` ids of images the turn produced (DALL-E results), in order of appearance, without duplicates; at
    /// most ``ConversationStreamReducer/maximumImageCount``, the first ones named.
    package var imageFileIDs: [String]

    /// Creates a turn; the reducer and tests build them.
    package init(conversationID: String?, text: String, isComplete: Bool, imageFileIDs: [String] = []) {
        self.conversationID = conversationID
        self.text = text
        self.isComplete = isComplete
        self.imageFileIDs = imageFileIDs
    }
}
