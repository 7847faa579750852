import BridgeTesting
import GoAPI
import InMemoryLogging
import Logging
import Testing

@Suite(.timeLimit(.minutes(1))) struct GoAPIClientTests {
    let logger = Logger(label: "test")

    @Test func createsConversationAndRevealsItsIDBeforeTheReply() async throws {
        try await withStubAndClient { stub, client in
            let ids = Recorder<String>()
            let reply = try await client.ask(
                ConversationRequest(conversationID: nil, text: "alice: hi"),
                logger: self.logger
            ) {
                ids.record($0)
            }.get()
            #expect(reply.text == StubGoAPIServer.defaultReply)
            #expect(reply.isComplete)
            #expect(reply.interruption == nil)
            #expect(ids.values == [reply.conversationID])
            let request = try #require(stub.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/api/chatgpt/v1/conversation")
            #expect(request.headers["x-api-key"] == testAPIKey)
            #expect(request.questionText == "alice: hi")
            #expect(request.json?["model"] as? String == "gpt-4o")
            #expect(request.json?.keys.contains("gizmo_id") == false, "gizmo_id is sent only with a GPT")
        }
    }

    @Test func addsMessageToExistingConversationWithGPT() async throws {
        try await withStubAndClient(configure: { $0.gizmoModel = "gpt-4-gizmo" }) { stub, client in
            let request = ConversationRequest(conversationID: "conv-1", text: "more", gizmoID: "g-3w1rEXGE0")
            let reply = try await client.ask(request, logger: self.logger) { _ in }.get()
            #expect(reply.conversationID == "conv-1")
            #expect(!reply.startedNewConversation)
            let sent = try #require(stub.requests.first)
            #expect(sent.path == "/api/chatgpt/v1/conversation/conv-1")
            #expect(sent.json?["gizmo_id"] as? String == "g-3w1rEXGE0")
            #expect(sent.json?["model"] as? String == "gpt-4-gizmo")
        }
    }

    @Test func explicitModelWinsOverDefaults() async throws {
        try await withStubAndClient { stub, client in
            _ = await client.ask(ConversationRequest(conversationID: nil, text: "x", model: "o1"), logger: self.logger)
            { _ in }
            #expect(stub.requests.first?.json?["model"] as? String == "o1")
        }
    }

    @Test func serverErrorsAreRetriedThenReported() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(500), .status(502), .status(503, body: #"{"code": 503, "message": "maintenance"}"#))
            let result = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }
            let error = try #require(result.failure)
            #expect(error.code == .serverError)
            #expect(error.status == 503)
            #expect(error.detail == "maintenance")
            #expect(stub.conversationRequests.count == 3)
        }
    }

    @Test func serverErrorThenSuccessRecovers() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(500), .reply("recovered"))
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(reply.text == "recovered")
            #expect(stub.conversationRequests.count == 2)
        }
    }

    @Test(arguments: [401, 403])
    func credentialProblemsAreNotRetried(status: Int) async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(status, body: #"{"code": \#(status), "message": "invalid api key"}"#))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .unauthorized)
            #expect(error.userMessage.contains("key"))
            #expect(stub.conversationRequests.count == 1)
        }
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(
                .status(429, body: #"{"message": "slow down"}"#, headers: ["Retry-After": "0"]),
                .reply("ok now")
            )
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(reply.text == "ok now")
            #expect(stub.conversationRequests.count == 2)
        }
    }

    /// A server asking for a longer wait than the retry policy's longest is not retried sooner than it asked: the
    /// question fails at once (and the backup model, if any, answers now).
    @Test(arguments: ["120", "99999999999999999"])
    func aRetryAfterLongerThanTheLongestBackoffIsNotCutShort(retryAfter: String) async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(
                .status(429, body: #"{"message": "slow down"}"#, headers: ["Retry-After": retryAfter]),
                .reply("too soon")
            )
            let started = ContinuousClock.now
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .rateLimited)
            #expect(stub.conversationRequests.count == 1)
            // Waiting would take 120 s or more. The bound is wide because on a loaded machine the test process can be
            // held up for seconds by unrelated tests.
            #expect(ContinuousClock.now - started < .seconds(60), "no wait before failing")
        }
    }

    @Test(arguments: ["1e400", "inf", "nan", "-3"])
    func anUnusableRetryAfterIsIgnoredAndTheQuestionStillAnswered(retryAfter: String) async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(
                .status(503, body: #"{"message": "busy"}"#, headers: ["Retry-After": retryAfter]),
                .reply("ok now")
            )
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(reply.text == "ok now")
            #expect(stub.conversationRequests.count == 2)
        }
    }

    /// A final message the bridge reads no text from (a part type it does not know) is no answer: taken as complete,
    /// it showed "(no text)" on IRC and an empty reply to webhooks.
    @Test func aFinalMessageWithoutReadableTextIsNoReply() async throws {
        try await withStubAndClient { stub, client in
            let event =
                #"{"conversation_id": "c-unreadable", "error": null, "message": {"id": "m1", "author": {"role": "#
                + #""assistant"}, "content": {"content_type": "text", "parts": [{"kind": "new"}]}, "end_turn": true, "#
                + #""status": "finished_successfully", "recipient": "all"}}"#
            stub.enqueue(.raw("data: \(event)\n\ndata: [DONE]\n\n"))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .noReply)
            #expect(error.partial?.conversationID == "c-unreadable", "the conversation is kept")
        }
    }

    /// GoAPI (or a proxy) may quote the key it refused; that text goes to the log, and for a refused request to the
    /// chat. The README promises the key is never logged.
    @Test(arguments: [401, 400, 503])
    func anErrorQuotingTheAPIKeyNeverRepeatsIt(status: Int) async throws {
        let (logger, logs) = makeTraceLogger()
        try await withStubAndClient(configure: { $0.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .zero) }) {
            stub,
            client in
            let body = #"{"code": \#(status), "message": "Invalid API key \#(testAPIKey) (trace 9f8e)"}"#
            stub.enqueue(.status(status, body: body), .status(status, body: body))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: logger) { _ in }.failure
            )
            #expect(!error.description.contains(testAPIKey))
            #expect(error.description.contains("Invalid API key [redacted]"))
            #expect(!error.userMessage.contains(testAPIKey))
            #expect(!error.userMessage.contains("redacted"), "a sentence that named the key is not shown at all")
            let logged = logs.entries.map { "\($0.message) \($0.metadata)" }
            #expect(!logged.isEmpty)
            #expect(!logged.contains { $0.contains(testAPIKey) })
            // AsyncHTTPClient logs every response part at trace level, a body as hex (its middle elided, so the
            // key's start or end shows): no body is logged at all.
            #expect(!logged.contains { $0.contains(#""ahc-http-part": body("#) }, "a response body was logged")
        }
    }

    /// The first sentence of GoAPI's reason is shown, when it is short plain text; an internal trace or an HTML page
    /// stays in the log.
    @Test func onlyAShortPlainReasonReachesTheAsker() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(
                .status(
                    400,
                    body: #"{"message": "Model gpt-9 does not exist. Internal trace: upstream=10.2.3.4 req=abc"}"#
                ),
                .eventError("<html><body>upstream worker-17 crashed at /srv/app/main.py:233</body></html>"),
                .status(400, body: #"{"message": "\#(String(repeating: "very long reason ", count: 10))"}"#)
            )
            var messages: [String] = []
            for _ in 0..<3 {
                let error = try #require(
                    await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                        .failure
                )
                messages.append(error.userMessage)
            }
            #expect(
                messages == [
                    "GoAPI refused the request (Model gpt-9 does not exist).",
                    "GoAPI reported an error.",
                    "GoAPI refused the request (HTTP 400).",
                ]
            )
        }
    }

    @Test func otherClientErrorsAreRejectedWithGoAPIsMessage() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(400, body: #"{"code": 400, "message": "invalid gizmo_id"}"#))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .requestRejected)
            #expect(error.userMessage.contains("invalid gizmo_id"))
            #expect(stub.conversationRequests.count == 1)
        }
    }

    @Test func truncatedStreamGivesIncompleteReplyWithoutRetrying() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.truncated(partial: "The first half"))
            let ids = Recorder<String>()
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                ids.record($0)
            }.get()
            #expect(!reply.isComplete)
            #expect(reply.text == "The first half")
            #expect(reply.interruption?.code == .cutOff)
            #expect(ids.values.count == 1, "the id was handed over although the stream failed")
            #expect(stub.conversationRequests.count == 1, "a stream that had started is never re-asked")
        }
    }

    @Test func garbageLinesAreSkipped() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.garbageThenReply("Still fine 🎉"))
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(reply.text == "Still fine 🎉")
            #expect(reply.isComplete)
        }
    }

    @Test func idleStallEndsAsIncompleteAfterIdleTimeout() async throws {
        // One attempt and a generous timeout: on a loaded machine the head itself may take a while, and a
        // timeout before the first byte would rightly be retried, which is not what this test is about.
        let configure: (inout GoAPIClient.Configuration) -> Void = {
            $0.idleTimeout = .seconds(3)
            $0.retry = RetryPolicy(maxAttempts: 1)
        }
        try await withStubAndClient(configure: configure) { stub, client in
            stub.enqueue(.stall(partial: "So far"))
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(clock.now - start < .seconds(30), "the reply timeout is 180 s")
            #expect(!reply.isComplete)
            #expect(reply.text == "So far")
            #expect(reply.interruption?.code == .idleTimeout)
            #expect(stub.conversationRequests.count == 1)
        }
    }

    @Test func replyTimeoutBoundsASlowStream() async throws {
        try await withStubAndClient(configure: { $0.replyTimeout = .milliseconds(400) }) { stub, client in
            stub.enqueue(.reply("a slow and long answer that trickles in", eventDelay: .milliseconds(150)))
            let result = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }
            switch result {
            case .success(let reply):
                #expect(!reply.isComplete)
                #expect(reply.interruption?.code == .replyTimeout)
            case .failure(let error):
                #expect(error.code == .replyTimeout)
            }
        }
    }

    /// GoAPI says a conversation is gone with HTTP 404, or with its error envelope's `code` 404 in a 200 body.
    @Test(arguments: [404, 200])
    func unknownConversationStartsANewOneOnce(httpStatus: Int) async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(
                .status(httpStatus, body: #"{"code": 404, "message": "conversation not found"}"#),
                .reply("fresh start")
            )
            let ids = Recorder<String>()
            let reply = try await client.ask(
                ConversationRequest(conversationID: "gone", text: "x"),
                logger: self.logger
            ) {
                ids.record($0)
            }.get()
            #expect(reply.text == "fresh start")
            #expect(reply.startedNewConversation)
            #expect(reply.conversationID != "gone")
            #expect(ids.values == [reply.conversationID])
            #expect(
                stub.conversationRequests.map(\.path) == [
                    "/api/chatgpt/v1/conversation/gone", "/api/chatgpt/v1/conversation",
                ]
            )
        }
    }

    /// A 404 page from a proxy or CDN (a GoAPI deploy, a misrouted request) is not GoAPI saying the conversation is
    /// gone; taking it for that replaces the channel's stored conversation with a new one, and its history is lost.
    @Test func anHTMLNotFoundPageDoesNotAbandonTheStoredConversation() async throws {
        try await withStubAndClient { stub, client in
            let page = """
                <html>
                <head><title>404 Not Found</title></head>
                <body>
                <center><h1>404 Not Found</h1></center>
                <hr><center>nginx</center>
                </body>
                </html>
                """
            stub.enqueue(.status(404, body: page), .reply("fresh start"))
            let ids = Recorder<String>()
            _ = await client.ask(ConversationRequest(conversationID: "conv-1", text: "x"), logger: self.logger) {
                ids.record($0)
            }
            #expect(ids.values.isEmpty, "a new conversation replaced conv-1: \(ids.values)")
            #expect(!stub.conversationRequests.map(\.path).contains("/api/chatgpt/v1/conversation"))
        }
    }

    @Test func notFoundTwiceIsAnErrorNotALoop() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(404), .status(404))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: "gone", text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .requestRejected)
            #expect(stub.conversationRequests.count == 2)
        }
    }

    @Test func eventErrorIsReported() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.eventError("Something went wrong upstream"))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .streamError)
            #expect(error.detail == "Something went wrong upstream")
            #expect(error.partial?.conversationID != nil)
        }
    }

    @Test func streamWithoutAnyAnswerIsNoReply() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.raw("data: [DONE]\n\n"))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .noReply)
        }
    }

    @Test func aStreamOfEventsInAnUnknownFormatSaysHowManyCouldNotBeRead() async throws {
        try await withStubAndClient { stub, client in
            // What a change in GoAPI's event format would look like: events, but none of the expected shape. An
            // object with none of the known keys is not counted: GoAPI sends such events (moderation) routinely.
            stub.enqueue(.raw("data: {\"msg\": 1}\n\ndata: [1, 2]\n\ndata: not json\n\ndata: [DONE]\n\n"))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .noReply)
            #expect(error.detail == "2 event(s) of the stream could not be read")
        }
    }

    @Test func droppedConnectionBeforeResponseIsRetried() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.dropConnection, .reply("second time lucky"))
            let reply = try await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) {
                _ in
            }.get()
            #expect(reply.text == "second time lucky")
        }
    }

    /// A request GoAPI has taken whole but not yet answered is a question GoAPI has: sending it again when the idle
    /// timeout passes before the first byte posts it twice into the conversation and pays for it twice.
    @Test func aQuestionGoAPIReceivedButHasNotAnsweredIsNotSentAgain() async throws {
        try await withStubAndClient(configure: { $0.idleTimeout = .milliseconds(300) }) { stub, client in
            stub.enqueue(.silence, .silence, .silence)
            let result = await client.ask(
                ConversationRequest(conversationID: "conv-1", text: "alice: book the room"),
                logger: self.logger
            ) { _ in }
            #expect(result.failure?.code == .idleTimeout)
            // Every attempt was on the wire before `ask` gave up, but on a loaded machine the stub may read them
            // only later: once it has one, any second would follow at once.
            try await waitUntil("GoAPI has the question") { !stub.conversationRequests.isEmpty }
            try await Task.sleep(for: .milliseconds(500))
            #expect(stub.conversationRequests.count == 1, "the question reached GoAPI once")
        }
    }

    /// A proxy or CDN in front of GoAPI answers errors with an HTML page; its markup is not a message for a chat.
    @Test func anHTMLErrorPageIsNotShownToTheAsker() async throws {
        try await withStubAndClient { stub, client in
            let page = """
                <html>
                <head><title>413 Request Entity Too Large</title></head>
                <body>
                <center><h1>413 Request Entity Too Large</h1></center>
                <hr><center>nginx</center>
                </body>
                </html>
                """
            stub.enqueue(.status(413, body: page))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .requestRejected)
            #expect(!error.userMessage.contains("<"), "said to the asker: \(error.userMessage)")
        }
    }

    @Test func unreachableServerIsConnectFailedWithoutWaitingForTheConnectTimeout() async throws {
        let configuration = GoAPIClient.Configuration(
            baseURL: "http://127.0.0.1:1",
            apiKey: testAPIKey,
            // Waiting for it would take two minutes: far beyond how long a loaded machine can hold the test up.
            connectTimeout: .seconds(120),
            retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(5))
        )
        let client = GoAPIClient(configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        let result = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
        try await client.shutdown()
        #expect(clock.now - start < .seconds(60), "a refused connection fails at once; retries follow the policy")
        let error = try #require(result.failure)
        #expect(error.code == .connectFailed)
        #expect(error.userMessage.contains("unavailable"))
    }

    @Test func jsonEnvelopeWithStatus200IsAnError() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(200, body: #"{"code": 401, "message": "api key expired"}"#))
            let error = try #require(
                await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: self.logger) { _ in }
                    .failure
            )
            #expect(error.code == .unauthorized)
            #expect(error.detail == "api key expired")
        }
    }

    @Test func imagesComeWithDownloadLinks() async throws {
        try await withStubAndClient { stub, client in
            stub.enqueue(.reply("Here is your cat.", imageFileIDs: ["file-abc", "file-def"]))
            let reply = try await client.ask(
                ConversationRequest(conversationID: nil, text: "draw"),
                logger: self.logger
            ) { _ in }.get()
            #expect(
                reply.images == [
                    GeneratedImage(fileID: "file-abc", downloadURL: "https://files.example/file-abc.png"),
                    GeneratedImage(fileID: "file-def", downloadURL: "https://files.example/file-def.png"),
                ]
            )
            let download = try #require(stub.requests.first { $0.path.hasSuffix("/download") })
            #expect(download.path == "/api/chatgpt/v1/conversation/\(reply.conversationID)/download")
            #expect(download.json?["file_id"] as? String == "file-abc")
            #expect(download.headers["x-api-key"] == testAPIKey)
        }
    }

    @Test func aStreamNamingManyImagesCostsOnlyAFewDownloadRequests() async throws {
        let (logger, logs) = makeTraceLogger()
        try await withStubAndClient { stub, client in
            let named = (0..<200).map { "file-\($0)" }
            stub.enqueue(.reply("Here are your cats.", imageFileIDs: named))
            let reply = try await client.ask(
                ConversationRequest(conversationID: nil, text: "draw"),
                logger: logger
            ) { _ in }.get()
            let kept = Array(named.prefix(ConversationStreamReducer.maximumImageCount))
            #expect(reply.text == "Here are your cats.")
            #expect(reply.images.map(\.fileID) == kept)
            #expect(reply.images.allSatisfy { $0.downloadURL != nil })
            let downloads = stub.requests.filter { $0.path.hasSuffix("/download") }
            #expect(downloads.compactMap { $0.json?["file_id"] as? String } == kept)
            let notes = logs.entries.filter {
                $0.message.description == "GoAPI named more images than a reply keeps; only the first ones are linked"
            }
            #expect(notes.count == 1)
            #expect(notes.first?.metadata["goapi.images_kept"] == "\(kept.count)")
        }
    }

    @Test func failedImageLinkDoesNotCostTheAnswer() async throws {
        try await withStubAndClient { stub, client in
            stub.setDownloads(.fail)
            stub.enqueue(.reply("Here is your cat.", imageFileIDs: ["file-abc"]))
            let reply = try await client.ask(
                ConversationRequest(conversationID: nil, text: "draw"),
                logger: self.logger
            ) { _ in }.get()
            #expect(reply.text == "Here is your cat.")
            #expect(reply.images == [GeneratedImage(fileID: "file-abc", downloadURL: nil)])
        }
    }

    @Test func concurrentRequestsAreCapped() async throws {
        try await withStubAndClient(configure: { $0.maxConcurrentRequests = 2 }) { stub, client in
            // The first two answers wait until both requests are at the stub, so the cap is reached however slowly
            // the second request starts; the others are slow enough that more than two at once would show.
            let twoAtOnce = StubGate(opensWhenWaiting: 2)
            stub.enqueue(.replyWhenOpened("slow", twoAtOnce), .replyWhenOpened("slow", twoAtOnce))
            for _ in 0..<4 { stub.enqueue(.reply("slow", eventDelay: .milliseconds(20))) }
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        _ = await client.ask(
                            ConversationRequest(conversationID: nil, text: "\(index)"),
                            logger: self.logger
                        ) { _ in }
                    }
                }
            }
            #expect(stub.conversationRequests.count == 6)
            #expect(stub.maximumConcurrentConversations == 2)
        }
    }

    @Test func apiKeyNeverReachesTheLogs() async throws {
        let (logger, handler) = makeTraceLogger()
        try await withStubAndClient { stub, client in
            stub.enqueue(.status(500), .status(401), .reply("x", imageFileIDs: ["file-1"]), .truncated(partial: "p"))
            _ = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: logger) { _ in }
            _ = await client.ask(ConversationRequest(conversationID: nil, text: "x"), logger: logger) { _ in }
            _ = await client.ask(ConversationRequest(conversationID: "c", text: "x"), logger: logger) { _ in }
        }
        #expect(!handler.entries.isEmpty, "the scenario must have logged something for this test to mean anything")
        for entry in handler.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(testAPIKey))
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
