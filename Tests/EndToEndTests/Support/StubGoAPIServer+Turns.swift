import BridgeTesting

extension StubGoAPIServer {
    /// The path that creates a conversation.
    static let createPath = "/api/chatgpt/v1/conversation"

    /// The path that adds a message to conversation `id`.
    static func addMessagePath(_ id: String) -> String {
        "\(Self.createPath)/\(id)"
    }
}

extension StubGoAPIServer.Behaviour {
    /// A complete turn that names `conversationID` (the stub numbers new conversations itself; a test that
    /// checks which conversation a follow-up goes to chooses the id).
    static func turn(conversationID: String, question: String, reply: String) -> Self {
        .raw(
            StubConversationStream.wire(
                StubConversationStream.events(conversationID: conversationID, question: question, reply: reply)
            )
        )
    }
}
