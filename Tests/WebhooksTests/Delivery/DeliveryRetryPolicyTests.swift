import Foundation
import Store
import Testing
import Webhooks

@Suite struct DeliveryRetryPolicyTests {
    let policy = DeliveryRetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(60), giveUpAfter: .seconds(3600))
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func delivery(attempts: Int) -> OutboxDelivery {
        OutboxDelivery(
            id: "r:1",
            target: "generic-reply:/hooks/team",
            payload: Data(),
            createdAt: self.start,
            attempts: attempts
        )
    }

    @Test(arguments: [200, 202, 204, 299])
    func successIsDelivered(status: Int) {
        #expect(
            self.policy.action(
                after: .response(status: status, retryAfter: nil),
                for: self.delivery(attempts: 3),
                now: self.start,
                jitter: 0.5
            )
                == .delivered
        )
    }

    @Test func goneStopsAtOnce() {
        let action = self.policy.action(
            after: .response(status: 410, retryAfter: nil),
            for: self.delivery(attempts: 0),
            now: self.start,
            jitter: 0
        )
        #expect(action == .abandon(reason: "receiver answered 410 Gone"))
    }

    @Test(arguments: [301, 302, 307, 308])
    func aRedirectIsRetriedWithAHintToConfigureTheFinalURL(status: Int) {
        let action = self.policy.action(
            after: .response(status: status, retryAfter: nil),
            for: self.delivery(attempts: 0),
            now: self.start,
            jitter: 1
        )
        let expected = "receiver answered \(status); redirects are not followed, so configure the final URL"
        #expect(action == .retry(at: self.start.addingTimeInterval(1), attempts: 1, error: expected))
    }

    @Test(arguments: [(0, 1.0), (1, 2.0), (2, 4.0), (5, 32.0), (6, 60.0), (20, 60.0)])
    func backoffDoublesUpToTheCapWithJitter(previousAttempts: Int, backoff: Double) {
        for jitter in [0.0, 1.0] {
            let action = self.policy.action(
                after: .response(status: 503, retryAfter: nil),
                for: self.delivery(attempts: previousAttempts),
                now: self.start,
                jitter: jitter
            )
            let expected = self.start.addingTimeInterval(backoff * (jitter == 0 ? 0.5 : 1))
            #expect(action == .retry(at: expected, attempts: previousAttempts + 1, error: "receiver answered 503"))
        }
    }

    @Test func retryAfterIsHonoured() {
        let action = self.policy.action(
            after: .response(status: 429, retryAfter: 120),
            for: self.delivery(attempts: 0),
            now: self.start,
            jitter: 1
        )
        #expect(action == .retry(at: self.start.addingTimeInterval(120), attempts: 1, error: "receiver answered 429"))
    }

    /// A backoff that would run past the give-up age ends in one last attempt just before it; that attempt failing
    /// gives up. Before, the reply was given up at once, up to a whole backoff before the age the reason names.
    @Test func theLastAttemptComesJustBeforeTheGiveUpAge() {
        let late = self.start.addingTimeInterval(3570)
        let action = self.policy.action(
            after: .failed("connection refused"),
            for: self.delivery(attempts: 9),
            now: late,
            jitter: 1
        )
        #expect(
            action == .retry(at: self.start.addingTimeInterval(3599), attempts: 10, error: "connection refused")
        )
        let final = self.policy.action(
            after: .failed("connection refused"),
            for: self.delivery(attempts: 10),
            now: self.start.addingTimeInterval(3599),
            jitter: 1
        )
        #expect(final == .abandon(reason: "not delivered within 3600 s; last error: connection refused"))
        #expect(self.policy.isExpired(createdAt: self.start, now: self.start.addingTimeInterval(3600)))
        #expect(!self.policy.isExpired(createdAt: self.start, now: self.start.addingTimeInterval(3599)))
    }

    /// A receiver asking to wait past the give-up age is not tried again.
    @Test func aRetryAfterPastTheGiveUpAgeGivesUp() {
        let action = self.policy.action(
            after: .response(status: 503, retryAfter: 600),
            for: self.delivery(attempts: 3),
            now: self.start.addingTimeInterval(3500),
            jitter: 1
        )
        #expect(action == .abandon(reason: "not delivered within 3600 s; last error: receiver answered 503"))
    }

    /// The same body would be refused again: a 413 is final, as a 410.
    @Test func tooLargeStopsAtOnce() {
        let action = self.policy.action(
            after: .response(status: 413, retryAfter: nil),
            for: self.delivery(attempts: 0),
            now: self.start,
            jitter: 1
        )
        #expect(action == .abandon(reason: "receiver answered 413: the reply is larger than it accepts"))
    }

    @Test func aDeliveryThatAgedOutBeforeItsNextAttemptSaysSoInTheSameWords() {
        #expect(self.policy.expiryReason(lastError: nil) == "not delivered within 3600 s")
        #expect(
            self.policy.expiryReason(lastError: "receiver answered 500")
                == "not delivered within 3600 s; last error: receiver answered 500"
        )
    }
}
