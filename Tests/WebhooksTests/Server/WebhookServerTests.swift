import BridgeTesting
import Foundation
import Testing
import Webhooks

@Suite struct WebhookServerTests {
    static let question = #"{"thread": "t-1", "text": "What is six times seven?"}"#

    @Test func unknownPathsAre404InTheErrorShape() async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) {
            let response = try await $0.post("/hooks/nobody", body: Self.question)
            #expect(response.status == 404)
            #expect(response.json?["code"] as? String == "not_found")
            #expect(response.json?["error"] is String)
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test func onlyPostIsAllowed() async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) {
            let response = try await TestHTTPClient.send(method: "GET", port: $0.port, path: "/hooks/team")
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "POST")
            #expect(response.json?["code"] as? String == "method_not_allowed")
        }
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", nil])
    func onlyJSONIsAccepted(contentType: String?) async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) {
            let response = try await $0.post(
                body: Self.question,
                extraHeaders: contentType.map { [("content-type", $0)] } ?? []
            )
            #expect(response.status == 415)
            #expect(response.json?["code"] as? String == "unsupported_media_type")
        }
    }

    /// A compressed body is refused as such, before its signature or JSON is looked at: a sender that compresses
    /// learns what to change instead of reading "invalid signature" or "invalid JSON".
    @Test(arguments: ["gzip", "br", "identity, gzip"])
    func compressedBodiesAre415(contentEncoding: String) async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) {
            let response = try await $0.post(
                body: Self.question,
                extraHeaders: [("content-type", "application/json"), ("content-encoding", contentEncoding)]
            )
            #expect(response.status == 415)
            #expect(response.json?["code"] as? String == "unsupported_content_encoding")
            #expect(response.headers["accept-encoding"] == "identity")
        }
        #expect(answerer.questions.isEmpty)
    }

    @Test func theIdentityContentEncodingIsFine() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) {
            let response = try await $0.post(
                body: Self.question,
                extraHeaders: [("content-type", "application/json"), ("content-encoding", " Identity ")]
            )
            #expect(response.status == 200)
        }
        #expect(answerer.questions.count == 1)
    }

    @Test func aCharsetParameterIsFine() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) {
            let response = try await $0.post(
                body: Self.question,
                extraHeaders: [("content-type", "Application/JSON; charset=utf-8")]
            )
            #expect(response.status == 200)
        }
        #expect(answerer.questions.count == 1)
    }

    @Test(arguments: [TestHTTPClient.BodyFraming.contentLength, .chunked(100)])
    func largeBodiesAre413(framing: TestHTTPClient.BodyFraming) async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            maxBodyBytes: 1024,
            answerer: answerer
        ) { harness in
            let body = #"{"thread": "t", "text": "\#(String(repeating: "x", count: 3000))"}"#
            let response = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/team",
                headers: [("content-type", "application/json")],
                body: Data(body.utf8),
                framing: framing
            )
            #expect(response.status == 413)
            #expect(response.json?["code"] as? String == "body_too_large")
        }
        #expect(answerer.questions.isEmpty)
    }

    @Test func aBodyJustUnderTheLimitIsRead() async throws {
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            maxBodyBytes: 1024
        ) { (harness: WebhookTestHarness) async throws in
            let body = #"{"thread": "t", "text": "\#(String(repeating: "x", count: 900))"}"#
            #expect(try await harness.post(body: body).status == 200)
        }
    }

    @Test func unsignedAndWronglySignedRequestsAre401() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            let unsigned = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/team",
                headers: [("content-type", "application/json")],
                body: Data(Self.question.utf8)
            )
            #expect(unsigned.status == 401)
            #expect(unsigned.json?["code"] as? String == "missing_signature")
            let otherSecret = "whsec_" + Data("somebody else".utf8).base64EncodedString()
            let wrong = try await harness.post(body: Self.question, secret: otherSecret)
            #expect(wrong.status == 401)
            #expect(wrong.json?["code"] as? String == "invalid_signature")
        }
        #expect(answerer.questions.isEmpty)
    }

    /// A timestamp that is not whole seconds says so; before, it was reported as a signature that does not match,
    /// and a sender sending milliseconds or a date looked for a wrong secret.
    @Test func malformedTimestampsAre401Named() async throws {
        let answerer = FakeAnswerer()
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))],
            answerer: answerer
        ) { harness in
            for timestamp in ["abc", "1.5", "", "2026-11-28T16:00:00Z"] {
                let id = "msg_" + UUID().uuidString
                let signature = try StandardWebhookSigner(secret: WebhookTestHarness.secret)
                    .signature(id: id, timestamp: 0, body: Data(Self.question.utf8))
                let response = try await TestHTTPClient.send(
                    port: harness.port,
                    path: "/hooks/team",
                    headers: [
                        ("content-type", "application/json"), ("webhook-id", id),
                        ("webhook-timestamp", timestamp), ("webhook-signature", signature),
                    ],
                    body: Data(Self.question.utf8)
                )
                #expect(response.status == 401, "\(timestamp)")
                #expect(response.json?["code"] as? String == "invalid_timestamp", "\(timestamp)")
            }
        }
        #expect(answerer.questions.isEmpty)
    }

    @Test func staleTimestampsAre401() async throws {
        try await WebhookTestHarness.withServer(endpoints: [
            WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)))
        ]) {
            let old = Int(Date().timeIntervalSince1970) - 400
            let response = try await $0.post(body: Self.question, timestamp: old)
            #expect(response.status == 401)
            #expect(response.json?["code"] as? String == "stale_timestamp")
            let future = Int(Date().timeIntervalSince1970) + 400
            #expect(try await $0.post(body: Self.question, timestamp: future).status == 401)
        }
    }

    @Test func requestsOverTheRateLimitAre429WithRetryAfter() async throws {
        let endpoint = WebhookTestHarness.generic(
            mode: .sync(timeout: .seconds(5)),
            rateLimit: .init(requests: 2, period: .seconds(60))
        )
        try await WebhookTestHarness.withServer(endpoints: [endpoint]) { harness in
            #expect(try await harness.post(body: Self.question).status == 200)
            #expect(try await harness.post(body: Self.question).status == 200)
            let limited = try await harness.post(body: Self.question)
            #expect(limited.status == 429)
            #expect(limited.json?["code"] as? String == "rate_limited")
            let retryAfter = try #require(limited.headers["retry-after"].flatMap { Int($0) })
            #expect((1...30).contains(retryAfter))
        }
    }

    /// Senders retry with the same webhook-id (and the sync flow asks them to): a repeat gets its original
    /// acknowledgement and costs no budget, so it can neither be refused 429 itself nor crowd out the next question.
    @Test(arguments: [true, false])
    func repeatsDoNotUseUpTheRateLimit(isAsync: Bool) async throws {
        let mode: WebhookServer.GenericMode =
            isAsync ? .async(replyURL: "http://127.0.0.1:9/replies") : .sync(timeout: .seconds(5))
        let endpoint = WebhookTestHarness.generic(mode: mode, rateLimit: .init(requests: 2, period: .seconds(600)))
        try await WebhookTestHarness.withServer(endpoints: [endpoint]) { harness in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await harness.post(body: Self.question, id: "msg_same").status) }
            statuses.append(try await harness.post(body: Self.question, id: "msg_next").status)
            statuses.append(try await harness.post(body: Self.question, id: "msg_third").status)
            let accepted = isAsync ? 202 : 200
            #expect(statuses == [accepted, accepted, accepted, accepted, accepted, 429])
        }
    }

    @Test func theStandardWebhooksReferenceVectorPassesTheSignatureCheck() async throws {
        let vector = try TestData.standardWebhooksVector()
        let signedAt = vector.signedAt
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .sync(timeout: .seconds(5)), secret: vector.secret)],
            now: { signedAt.addingTimeInterval(60) }
        ) { harness in
            let response = try await TestHTTPClient.send(
                port: harness.port,
                path: "/hooks/team",
                headers: [
                    ("content-type", "application/json"),
                    ("webhook-id", vector.id),
                    ("webhook-timestamp", vector.timestamp),
                    ("webhook-signature", vector.signature),
                ],
                body: Data(vector.body.utf8)
            )
            // The vector's body is not a question, so getting as far as reading it proves the signature held.
            #expect(response.status == 400)
            #expect(response.json?["error"] as? String == "field \"thread\" is missing")
        }
    }
}
