import GoAPI
import Testing

@testable import Bridge

@Suite struct ConversationReplyPageTests {
    @Test func thePageHoldsTheTextAndTheImagesThatHaveLinks() {
        let reply = ConversationReply(
            conversationID: "c",
            text: "Here is the **picture**.",
            isComplete: true,
            images: [
                GeneratedImage(fileID: "file-1", downloadURL: "https://files.example/1.png"),
                GeneratedImage(fileID: "file-2", downloadURL: nil),
            ]
        )
        #expect(reply.pageMarkdown == "Here is the **picture**.\n\n![generated image](<https://files.example/1.png>)")
    }
}
