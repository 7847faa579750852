import Testing

@testable import Webhooks

@Suite struct OutboxRowTests {
    @Test func targetsRoundTripWithPathsThatContainColonsAndDashes() {
        let target = OutboxRow.target(.reply, kind: "mattermost", path: "/hooks/team-a:1")
        #expect(target == "mattermost-reply:/hooks/team-a:1")
        let parsed = OutboxRow.parse(target: target)
        #expect(parsed?.kind == "mattermost")
        #expect(parsed?.role == .reply)
        #expect(parsed?.path == "/hooks/team-a:1")
        #expect(OutboxRow.parse(target: "irc-line:#chan") == nil)
        #expect(OutboxRow.parse(target: "webhook") == nil)
    }

    @Test func replyRowsFollowTheirQuestionAndNumberTheirParts() {
        let question = OutboxRow.questionID(path: "/hooks/slack", key: "C1:1.5")
        let first = OutboxRow.replyID(question: question)
        #expect(first == "r:/hooks/slack:C1:1.5")
        let second = OutboxRow.replyID(afterPart: 1, id: first)
        #expect(second == "r:/hooks/slack:C1:1.5#2")
        #expect(OutboxRow.replyID(afterPart: 2, id: second) == "r:/hooks/slack:C1:1.5#3")
        // A delivery id that itself ends in "#2" is not mistaken for a part number.
        let odd = OutboxRow.replyID(question: OutboxRow.questionID(path: "/p", key: "id#2"))
        #expect(OutboxRow.replyID(afterPart: 1, id: odd) == "r:/p:id#2#2")
    }

    @Test func chatRepliesSayWhatWentWrong() {
        let cut = WebhookAnswer(
            conversationID: "c",
            reply: nil,
            incomplete: true,
            error: "stream ended",
            partial: "Part"
        )
        #expect(ChatReply.markdown(for: cut) == "Part\n\n_(The answer was cut off: stream ended.)_")
        let none = WebhookAnswer(conversationID: nil, reply: nil, incomplete: true, error: "GoAPI is unavailable")
        #expect(ChatReply.markdown(for: none) == "_Sorry, no answer this time: GoAPI is unavailable._")
        let images = WebhookAnswer(conversationID: "c", reply: "Here.", images: ["https://img/1.png"])
        #expect(ChatReply.markdown(for: images) == "Here.\nhttps://img/1.png")
    }
}
