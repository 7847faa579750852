import Foundation
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
        let accepted = Date(timeIntervalSince1970: 1_700_000_000.25)
        let question = OutboxRow.questionID(path: "/hooks/slack", key: "C1:1.5", at: accepted)
        #expect(question == "q:/hooks/slack:1700000000250000:C1:1.5")
        let first = OutboxRow.replyID(question: question)
        #expect(first == "r:/hooks/slack:1700000000250000:C1:1.5")
        let second = OutboxRow.replyID(afterPart: 1, id: first)
        #expect(second == "r:/hooks/slack:1700000000250000:C1:1.5#2")
        #expect(OutboxRow.replyID(afterPart: 2, id: second) == "r:/hooks/slack:1700000000250000:C1:1.5#3")
        // A delivery id that itself ends in "#2" is not mistaken for a part number.
        let odd = OutboxRow.replyID(question: OutboxRow.questionID(path: "/p", key: "id#2", at: accepted))
        #expect(OutboxRow.replyID(afterPart: 1, id: odd) == "r:/p:1700000000250000:id#2#2")
    }

    /// Ids sort in the order requests were accepted, so SQLite appends a burst of them to its id index instead of
    /// writing one random page of it per request; the key keeps ids of the same instant apart.
    @Test func questionIDsSortInTheOrderRequestsWereAccepted() {
        let times = [0, 0.000_001, 9.5, 10, 1_700_000_000, 1_700_000_000.000_001, 4_102_444_800]
        let ids = times.map {
            OutboxRow.questionID(path: "/hooks/team", key: "zzz", at: Date(timeIntervalSince1970: $0))
        }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let sameInstant = Date(timeIntervalSince1970: 1_700_000_000)
        let a = OutboxRow.questionID(path: "/hooks/team", key: "msg_a", at: sameInstant)
        let b = OutboxRow.questionID(path: "/hooks/team", key: "msg_b", at: sameInstant)
        #expect(a != b)
        // A clock set before 1970 cannot produce a malformed id.
        #expect(
            OutboxRow.questionID(path: "/p", key: "k", at: Date(timeIntervalSince1970: -5)) == "q:/p:0000000000000000:k"
        )
    }

    @Test func chatRepliesSayWhatWentWrong() {
        let cut = WebhookAnswer(
            conversationID: "c",
            reply: nil,
            incomplete: true,
            error: "stream ended",
            partial: "Part"
        )
        #expect(
            ChatReply.markdown(for: cut) == "_Sorry, no answer this time: stream ended._",
            "what arrived before the cut is not posted: it would read as the answer"
        )
        let none = WebhookAnswer(
            conversationID: nil,
            reply: nil,
            incomplete: true,
            error: "GoAPI is unavailable right now; please try again later.",
            images: ["https://img/1.png"]
        )
        #expect(
            ChatReply.markdown(for: none)
                == "_Sorry, no answer this time: GoAPI is unavailable right now; please try again later._"
        )
        let images = WebhookAnswer(conversationID: "c", reply: "Here.", images: ["https://img/1.png"])
        #expect(ChatReply.markdown(for: images) == "Here.\nhttps://img/1.png")
        let missing = WebhookAnswer(
            conversationID: "c",
            reply: "Here.",
            images: ["https://img/1.png"],
            unavailableImages: 2
        )
        #expect(ChatReply.markdown(for: missing) == "Here.\nhttps://img/1.png\n_(2 images could not be fetched)_")
    }
}
