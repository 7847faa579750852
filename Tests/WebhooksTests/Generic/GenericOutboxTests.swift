import Testing

@testable import Webhooks

@Suite struct GenericOutboxTests {
    /// Receivers deduplicate on `webhook-id`, so the id a reply row gets must never change, also across upgrades:
    /// a reply retried by a newer bridge would otherwise reach its receiver twice. The values are base64url of the
    /// row id's SHA-256, cut to 32 characters, computed independently (Python's hashlib and base64).
    @Test(arguments: [
        ("0000000001-abc", "msg_4oldpP-VK_yXsiQj80ctRQbx9KH4AROu"),
        ("q", "msg_jjXCzTv2ZBvbDiBQt2kyy7LmA0oN2swd"),
    ])
    func theReplyMessageIDIsStable(rowID: String, expected: String) {
        #expect(GenericOutbox.replyMessageID(deliveryID: rowID) == expected)
    }
}
