import Foundation
import Testing

@testable import Webhooks

@Suite struct SlackEventDecisionTests {
    static let bots: Set<String> = ["UBOT"]

    @Test func aMentionIsAQuestionInItsOwnThread() {
        let event = SlackEvent(type: "app_mention", channel: "C1", user: "U1", text: "<@UBOT> hi", ts: "1.5")
        let expected = SlackQuestion(channel: "C1", ts: "1.5", threadTS: "1.5", user: "U1", text: "hi")
        #expect(SlackEventDecision(event, botUserIDs: Self.bots) == .ask(expected))
        #expect(expected.thread == "C1/1.5")
    }

    @Test func aReplyInAThreadBelongsToTheThread() {
        let event = SlackEvent(type: "app_mention", channel: "C1", user: "U1", text: "more", ts: "2.0", threadTS: "1.5")
        guard case .ask(let question) = SlackEventDecision(event, botUserIDs: Self.bots) else {
            Issue.record("not asked")
            return
        }
        #expect(question.thread == "C1/1.5")
        #expect(question.ts == "2.0")
    }

    @Test(arguments: [
        SlackEvent(type: "message", channelType: "channel", channel: "C1", user: "U1", text: "hello", ts: "1"),
        SlackEvent(type: "message", channelType: "im", channel: "D1", user: "U1", botID: "B1", text: "x", ts: "1"),
        SlackEvent(type: "app_mention", channel: "C1", user: "UBOT", text: "x", ts: "1"),
        SlackEvent(type: "message", subtype: "bot_message", channelType: "im", channel: "D1", text: "x", ts: "1"),
        SlackEvent(type: "message", subtype: "message_deleted", channelType: "im", channel: "D1", ts: "1"),
        SlackEvent(type: "reaction_added", user: "U1"),
        SlackEvent(type: "app_mention", channel: "C1", user: "U1", text: "<@UBOT>   ", ts: "1"),
        SlackEvent(type: "app_mention", user: "U1", text: "no channel"),
    ])
    func whatIsNotAQuestionIsIgnored(event: SlackEvent) {
        guard case .ignore = SlackEventDecision(event, botUserIDs: Self.bots) else {
            Issue.record("asked: \(event)")
            return
        }
    }

    @Test func envelopesAreReadAndBadOnesNamed() throws {
        let verification = try SlackEnvelope(parsing: Data(#"{"type":"url_verification","challenge":"c"}"#.utf8))
        #expect(verification == .urlVerification(challenge: "c"))
        let other = try SlackEnvelope(parsing: Data(#"{"type":"app_rate_limited","minute_rate_limited":1}"#.utf8))
        #expect(other == .other(type: "app_rate_limited"))
        let legacy = try SlackEnvelope(
            parsing: Data(
                #"{"type":"event_callback","event_id":"Ev1","authed_users":["UOLD"],"event":{"type":"app_mention"}}"#
                    .utf8
            )
        )
        #expect(legacy == .event(id: "Ev1", botUserIDs: ["UOLD"], event: SlackEvent(type: "app_mention")))
        // An app with a user token is authorized for a person too; only the bot entry is the bot.
        let mixed = try SlackEnvelope(
            parsing: Data(
                (#"{"type":"event_callback","event_id":"Ev2","event":{"type":"app_mention"},"authorizations":["#
                    + #"{"user_id":"UBOT","is_bot":true},{"user_id":"UPERSON","is_bot":false}],"authed_users":["UOLD"]}"#)
                    .utf8
            )
        )
        #expect(mixed == .event(id: "Ev2", botUserIDs: ["UBOT"], event: SlackEvent(type: "app_mention")))
        let personOnly = try SlackEnvelope(
            parsing: Data(
                (#"{"type":"event_callback","event_id":"Ev3","event":{"type":"app_mention"},"authorizations":["#
                    + #"{"user_id":"UPERSON","is_bot":false}],"authed_users":["UPERSON"]}"#)
                    .utf8
            )
        )
        #expect(personOnly == .event(id: "Ev3", botUserIDs: [], event: SlackEvent(type: "app_mention")))
        let missing = #expect(throws: WebhookHTTPError.self) {
            try SlackEnvelope(parsing: Data(#"{"type":"event_callback","event":{}}"#.utf8))
        }
        #expect(missing?.message.contains("event_id") == true)
        #expect(throws: WebhookHTTPError.self) { try SlackEnvelope(parsing: Data("[1]".utf8)) }
    }
}
