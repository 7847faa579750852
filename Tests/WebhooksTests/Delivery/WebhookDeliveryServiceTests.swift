import BridgeTesting
import Foundation
import InMemoryLogging
import Logging
import Store
import Testing
import Webhooks

@Suite struct WebhookDeliveryServiceTests {
    static let question = #"{"thread": "t-1", "text": "What is six times seven?"}"#
    static let fastRetries = WebhookDeliveryService.Configuration(
        retry: DeliveryRetryPolicy(
            initialBackoff: .milliseconds(100),
            maxBackoff: .milliseconds(400),
            giveUpAfter: .seconds(60)
        ),
        pollInterval: .seconds(5)
    )

    /// An async generic endpoint replying to `url`, with a rate limit no test's burst reaches.
    static func unthrottled(replyingTo url: String) -> WebhookServer.Endpoint {
        WebhookTestHarness.generic(mode: .async(replyURL: url), rateLimit: .init(requests: 10_000, period: .seconds(1)))
    }

    @Test func aFailingReceiverGetsTheReplyOnceItAccepts() async throws {
        try await StubWebhookReceiver.withRunning { receiver in
            receiver.enqueue(.init(status: 500), .init(status: 503), .init(status: 200))
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))],
                delivery: Self.fastRetries
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                let requests = try await receiver.waitForRequests(3)
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
                // Same message each time, so the receiver can deduplicate; waits of at least half the backoff.
                #expect(Set(requests.map { $0.headers["webhook-id"] }).count == 1)
                #expect(requests[1].receivedAt - requests[0].receivedAt >= .milliseconds(50))
                #expect(requests[2].receivedAt - requests[1].receivedAt >= .milliseconds(100))
                #expect(try await harness.store.deadLetters(limit: 10).isEmpty)
            }
            #expect(receiver.requests.count == 3)
        }
    }

    /// One refusal is routine and logged at info; a receiver still refusing on the third attempt is something an
    /// operator watching warnings should hear about, long before the reply is given up.
    @Test func aReceiverStillRefusingOnTheThirdAttemptIsLoggedAsAWarning() async throws {
        try await StubWebhookReceiver.withRunning { receiver in
            receiver.enqueue(.init(status: 500), .init(status: 502), .init(status: 503), .init(status: 200))
            let logs = InMemoryLogHandler()
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))],
                delivery: Self.fastRetries,
                deliveryLogger: Logger(label: "delivery") { _ in logs }
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                _ = try await receiver.waitForRequests(4)
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
            let retries = logs.entries.filter { $0.message == "Webhook outbox row will be retried" }
            #expect(retries.map(\.level) == [.info, .info, .warning])
            #expect(retries.map { $0.metadata["webhook.attempts"] } == ["1", "2", "3"])
        }
    }

    /// A receiver that stays down warns at the 3rd attempt and then at every doubling, not at every retry: a day
    /// of retries used to log about 150 warnings per reply.
    @Test func aLastingRefusalWarnsAtEveryDoublingOfTheAttempts() {
        let warned = (1...200).filter { WebhookDeliveryService.retryLogLevel(afterAttempts: $0) == .warning }
        #expect(warned == [3, 4, 8, 16, 32, 64, 128])
    }

    @Test func repliesHaveSlotsOfTheirOwnWhileEveryQuestionSlotIsBusy() async throws {
        try await Self.withRefusedReplyBehindABusyQuestionSlot { receiver, answerer, refused in
            let requests = try await receiver.waitForRequests(2)
            #expect(answerer.questions.map(\.text) == ["quick", "slow"], "the slow question is still hanging")
            #expect(requests[1].receivedAt > refused, "the retry came while the slow question held its slot")
            #expect(requests[1].receivedAt - refused < .seconds(10), "when due, not at the next poll")
            #expect(String(decoding: requests[1].body, as: UTF8.self).contains("Forty-two."))
        }
    }

    @Test func aRetriedReplyIsDeliveredWhenDueEvenBehindABacklogOfQuestions() async throws {
        // Thirty questions queue behind the slow one, all due before the refused reply's retry: more than one read
        // of the outbox holds.
        try await Self.withRefusedReplyBehindABusyQuestionSlot(backlog: 30) { receiver, answerer, refused in
            let requests = try await receiver.waitForRequests(2, timeout: .seconds(30))
            #expect(requests[1].receivedAt - refused < .seconds(10), "when due, not later")
            #expect(String(decoding: requests[1].body, as: UTF8.self).contains("Forty-two."))
            #expect(answerer.questions.count == 2, "the backlog still waits for the question slot")
        }
    }

    /// Runs `check` once a question that is never answered ("slow") holds the only question slot with `backlog`
    /// more questions queued behind it, and only then the first reply (to "quick") is refused with 503: the
    /// receiver holds that answer until all this is in place, so the retry, 1–2 s after the refusal, comes while
    /// the slot is busy however slow the machine. Nothing else would wake the service before its poll interval
    /// (60 s). `check` gets the receiver, the answerer and when the refusal was let go.
    private static func withRefusedReplyBehindABusyQuestionSlot(
        backlog: Int = 0,
        _ check: (StubWebhookReceiver, FakeAnswerer, ContinuousClock.Instant) async throws -> Void
    ) async throws {
        let answerer = FakeAnswerer(.hangOn(text: "slow", otherwise: "Forty-two."))
        var configuration = Self.fastRetries
        configuration.maxConcurrentQuestions = 1
        configuration.retry = DeliveryRetryPolicy(
            initialBackoff: .seconds(2),
            maxBackoff: .seconds(2),
            giveUpAfter: .seconds(60)
        )
        configuration.pollInterval = .seconds(60)
        try await StubWebhookReceiver.withRunning { receiver in
            let slotBusy = StubGate()
            receiver.enqueue(.init(status: 503, heldUntil: slotBusy), .init(status: 200))
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                answerer: answerer,
                delivery: configuration
            ) { harness in
                #expect(try await harness.post(body: #"{"thread": "t-quick", "text": "quick"}"#).status == 202)
                _ = try await receiver.waitForRequests(1)
                #expect(try await harness.post(body: #"{"thread": "t-slow", "text": "slow"}"#).status == 202)
                #expect(try await WebhookTestHarness.eventually { answerer.questions.count == 2 })
                for index in 0..<backlog {
                    let body = #"{"thread": "t-\#(index)", "text": "waiting \#(index)"}"#
                    #expect(try await harness.post(body: body).status == 202)
                }
                let refused = ContinuousClock.now
                slotBusy.open()
                try await check(receiver, answerer, refused)
            }
        }
    }

    @Test func aBusyThreadKeepsItsQuestionsInOrderWithoutHoldingUpOtherThreads() async throws {
        let firstHeld = StubGate()
        let answerer = FakeAnswerer(.holdOn(text: "a1", until: firstHeld, reply: "Forty-two."))
        var configuration = Self.fastRetries
        configuration.maxConcurrentQuestions = 2
        try await StubWebhookReceiver.withRunning { (receiver: StubWebhookReceiver) async throws in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                answerer: answerer,
                delivery: configuration
            ) { (harness: WebhookTestHarness) async throws in
                try await Self.checkLanes(harness: harness, receiver: receiver, answerer: answerer, gate: firstHeld)
            }
        }
    }

    /// A thread's answers reach the receiver in the order its questions came, also when the first answer's post
    /// is refused once: the next question waits until the answer before it is delivered. Before, the second answer
    /// was posted while the first waited for its retry, so the chat showed them the wrong way round.
    @Test func aThreadsAnswersAreDeliveredInOrderWhenOneIsRetried() async throws {
        try await StubWebhookReceiver.withRunning { receiver in
            receiver.enqueue(.init(status: 500))
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                delivery: Self.fastRetries
            ) { harness in
                let ids = try await Self.askTwiceInOneThread(harness, thenAwait: 3, postsTo: receiver)
                #expect(ids == ["msg_first", "msg_first", "msg_second"])
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
        }
    }

    /// Order is kept through a blip, not at any price: a reply its receiver has refused three times in a row stops
    /// holding its thread, which goes on while that reply is still retried. Otherwise one reply a receiver cannot
    /// take held the thread's later questions for a day, until it was given up, and some of them with it.
    @Test func aReplyRefusedThreeTimesNoLongerHoldsItsThread() async throws {
        var configuration = Self.fastRetries
        configuration.retry = DeliveryRetryPolicy(
            initialBackoff: .milliseconds(200),
            maxBackoff: .seconds(5),
            giveUpAfter: .seconds(60)
        )
        try await StubWebhookReceiver.withRunning { receiver in
            receiver.enqueue(.init(status: 500), .init(status: 500), .init(status: 500))
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                delivery: configuration
            ) { harness in
                let ids = try await Self.askTwiceInOneThread(harness, thenAwait: 5, postsTo: receiver)
                #expect(ids == ["msg_first", "msg_first", "msg_first", "msg_second", "msg_first"])
            }
        }
    }

    /// The reply row can be started, and delivered, while the write that created it is still returning. The thread
    /// must still go on: its lane was handed to the reply only after that, so it went to a row already delivered,
    /// and the thread's next question waited for ever (a benchmark left 183 of 290,824 questions unanswered).
    @Test func aReplyDeliveredBeforeItsQuestionsWriteReturnsStillFreesItsThread() async throws {
        let store = FlakyWritesStore()
        try await StubWebhookReceiver.withRunning { receiver in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                store: store,
                delivery: Self.fastRetries
            ) { harness in
                store.afterReplace { row in
                    guard row.id.hasPrefix("r:"), receiver.requests.isEmpty else { return }  // a reply row's id
                    // The second question's request wakes the service, which delivers the first reply meanwhile.
                    _ = try? await harness.post(body: #"{"thread": "t", "text": "second"}"#, id: "msg_second")
                    _ = try? await WebhookTestHarness.eventually(timeout: .seconds(10)) { receiver.requests.count == 1 }
                    try? await Task.sleep(for: .milliseconds(200))
                }
                #expect(
                    try await harness.post(body: #"{"thread": "t", "text": "first"}"#, id: "msg_first").status == 202
                )
                let requests = try await receiver.waitForRequests(2, timeout: .seconds(20))
                let ids = requests.map(Self.replyID(of:))
                #expect(ids == ["msg_first", "msg_second"])
            }
        }
    }

    /// Four questions, three in thread `a` (the first held until `gate` opens) and one in `b`, with two slots.
    private static func checkLanes(
        harness: WebhookTestHarness,
        receiver: StubWebhookReceiver,
        answerer: FakeAnswerer,
        gate: StubGate
    ) async throws {
        for (thread, text) in [("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")] {
            let body = #"{"thread": "\#(thread)", "text": "\#(text)"}"#
            #expect(try await harness.post(body: body).status == 202)
        }
        // a1 holds thread a; a2 and a3 wait without a slot, so b1 is answered.
        let first: [String] = try await receiver.waitForRequests(1).map(Self.thread(of:))
        #expect(first == ["b"])
        #expect(answerer.questions.map(\.text) == ["a1", "b1"], "a2 and a3 are not asked while a1 is")

        gate.open()
        let all: [String] = try await receiver.waitForRequests(4).map(Self.thread(of:))
        #expect(all == ["b", "a", "a", "a"])
        #expect(answerer.questions.map(\.text) == ["a1", "b1", "a2", "a3"], "thread a in order")
        #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
    }

    /// The `id` of a generic reply: the webhook-id of the question it answers.
    /// Asks `msg_first` then `msg_second` in thread `t`, each accepted, and returns the reply ids of the first
    /// `count` posts `receiver` gets: the order a thread's answers reach the chat in.
    private static func askTwiceInOneThread(
        _ harness: WebhookTestHarness,
        thenAwait count: Int,
        postsTo receiver: StubWebhookReceiver
    ) async throws -> [String?] {
        for id in ["msg_first", "msg_second"] {
            let body = #"{"thread": "t", "text": "\#(id)"}"#
            #expect(try await harness.post(body: body, id: id).status == 202)
        }
        return try await receiver.waitForRequests(count).map(Self.replyID(of:))
    }

    private static func replyID(of request: StubWebhookReceiver.RecordedRequest) -> String? {
        let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
        return object?["id"] as? String
    }

    /// The `thread` of a generic reply.
    private static func thread(of request: StubWebhookReceiver.RecordedRequest) -> String {
        let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
        return object?["thread"] as? String ?? "?"
    }

    @Test func goneStopsRetries() async throws {
        try await StubWebhookReceiver.withRunning { receiver in
            receiver.enqueue(.init(status: 410))
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))],
                delivery: Self.fastRetries
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                _ = try await receiver.waitForRequests(1)
                #expect(
                    try await WebhookTestHarness.eventually { try await !harness.store.deadLetters(limit: 10).isEmpty }
                )
                let letter = try #require(try await harness.store.deadLetters(limit: 10).first)
                #expect(letter.reason == "receiver answered 410 Gone")
                #expect(try await harness.store.pendingDeliveryCount() == 0)
            }
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func repliesTooOldAreDeadLettered() async throws {
        // The reply grows old when the test moves the clock, once the receiver has refused it twice: a give-up age
        // short enough to wait out in real time can run out before the first attempt on a busy machine, and then
        // the test would not see a reply fail at the receiver before it ages out.
        let clock = JumpingClock()
        try await StubWebhookReceiver.withRunning { receiver in
            for _ in 0..<200 { receiver.enqueue(.init(status: 500)) }
            let configuration = WebhookDeliveryService.Configuration(
                retry: DeliveryRetryPolicy(
                    initialBackoff: .milliseconds(50),
                    maxBackoff: .milliseconds(100),
                    giveUpAfter: .seconds(600)
                ),
                pollInterval: .seconds(5)
            )
            try await WebhookTestHarness.withServer(
                endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))],
                now: { clock.now() },
                delivery: configuration
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                _ = try await receiver.waitForRequests(2)
                #expect(try await harness.store.deadLetters(limit: 10).isEmpty, "young replies are retried")
                clock.jump(by: 601)
                #expect(
                    try await WebhookTestHarness.eventually { try await !harness.store.deadLetters(limit: 10).isEmpty }
                )
                let letter = try #require(try await harness.store.deadLetters(limit: 10).first)
                #expect(letter.reason.hasPrefix("not delivered within 600 s"))
                #expect(letter.lastError == "receiver answered 500")
                #expect(try await harness.store.pendingDeliveryCount() == 0)
            }
            // The age limit, not an attempt count or the receiver coming back, ended the retries.
            #expect((2...60).contains(receiver.requests.count))
        }
    }

    @Test func aQuestionQueuedBeforeACrashIsAnsweredAfterRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("webhooks-\(UUID().uuidString).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await StubWebhookReceiver.withRunning { receiver in
            let endpoints = [WebhookTestHarness.generic(mode: .async(replyURL: receiver.url))]
            // First life: the answer never comes before the process goes away.
            let firstStore = try SQLiteBridgeStore(path: path, logger: WebhookTestHarness.logger)
            let hanging = FakeAnswerer(.hang)
            try await WebhookTestHarness.withServer(
                endpoints: endpoints,
                store: firstStore,
                answerer: hanging,
                delivery: Self.fastRetries
            ) { (harness: WebhookTestHarness) async throws in
                #expect(try await harness.post(body: Self.question, id: "msg_crash").status == 202)
                #expect(try await WebhookTestHarness.eventually { hanging.questions.count == 1 })
            }
            try firstStore.close()
            #expect(receiver.requests.isEmpty)

            // Second life: a new service on the same database answers and delivers.
            let secondStore = try SQLiteBridgeStore(path: path, logger: WebhookTestHarness.logger)
            let answerer = FakeAnswerer(.reply("Forty-two."))
            try await WebhookTestHarness.withServer(
                endpoints: endpoints,
                store: secondStore,
                answerer: answerer,
                delivery: Self.fastRetries
            ) { harness in
                let request = try #require(try await receiver.waitForRequests(1).first)
                let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                #expect(json["id"] as? String == "msg_crash")
                #expect(json["reply"] as? String == "Forty-two.")
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
            try secondStore.close()
            #expect(answerer.questions.count == 1)
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func expiredDeliveryIDsAndOldDeadLettersArePurged() async throws {
        let store = InMemoryBridgeStore()
        let now = Date()
        _ = try await store.rememberDelivery(
            scope: "/hooks/team",
            id: "old",
            acknowledgement: nil,
            expiresAt: now.addingTimeInterval(-1),
            now: now.addingTimeInterval(-100)
        )
        _ = try await store.rememberDelivery(
            scope: "/hooks/team",
            id: "fresh",
            acknowledgement: nil,
            expiresAt: now.addingTimeInterval(600),
            now: now
        )
        for (id, age) in [("ancient", 8.0 * 86_400), ("recent", 60.0)] {
            try await store.enqueue(
                OutboxDelivery(id: id, target: "generic-reply:/hooks/team", payload: Data(), createdAt: now)
            )
            try await store.abandon(id: id, reason: "test", now: now.addingTimeInterval(-age))
        }
        try await WebhookTestHarness.withServer(
            endpoints: [WebhookTestHarness.generic(mode: .async(replyURL: "http://127.0.0.1:9/replies"))],
            store: store,
            delivery: Self.fastRetries
        ) { (_: WebhookTestHarness) async throws in
            #expect(try await WebhookTestHarness.eventually { try await store.deadLetters(limit: 10).count == 1 })
        }
        #expect(try await store.deadLetters(limit: 10).map(\.id) == ["recent"])
        let old = try await store.rememberDelivery(
            scope: "/hooks/team",
            id: "fresh",
            acknowledgement: nil,
            expiresAt: now.addingTimeInterval(600),
            now: now
        )
        #expect(old == .seen(acknowledgement: nil))
        // Expired ids already counted as new; purging removed their rows, which `purgeExpired` now finds none of.
        #expect(try await store.purgeExpired(now: now) == 0)
    }

    @Test func aBurstOfQuestionsIsAnsweredAndDeliveredExactlyOnceEach() async throws {
        let count = 150
        let answerer = FakeAnswerer()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("burst-\(UUID().uuidString).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteBridgeStore(path: path, logger: WebhookTestHarness.logger)
        defer { try? store.close() }
        try await StubWebhookReceiver.withRunning { receiver in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                store: store,
                answerer: answerer,
                delivery: Self.fastRetries
            ) { harness in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<count {
                        group.addTask {
                            try await harness.post(body: #"{"thread": "t-\#(index)", "text": "q"}"#).status
                        }
                    }
                    for try await status in group { #expect(status == 202) }
                }
                _ = try await receiver.waitForRequests(count, timeout: .seconds(60))
                #expect(
                    try await WebhookTestHarness.eventually(timeout: .seconds(30)) {
                        try await harness.store.pendingDeliveryCount() == 0
                    }
                )
            }
        }
        #expect(answerer.questions.count == count, "every question is asked once")
    }

    @Test func aReplyAcceptedWhileTheStoreCannotRecordItIsNotPostedAgain() async throws {
        let store = FlakyWritesStore()
        store.setFailing([.markDelivered, .reschedule], true)
        try await StubWebhookReceiver.withRunning { receiver in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                store: store,
                delivery: Self.fastRetries
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                #expect(try await WebhookTestHarness.eventually { store.calls(.markDelivered) >= 3 })
                #expect(receiver.requests.count == 1, "the thread got the reply once, not once per failed write")
                // Tries rest between failures (100, 200, 400, 400 ms …) instead of spinning on a broken disk.
                try await Task.sleep(for: .seconds(1))
                #expect(store.calls(.markDelivered) < 12)

                store.setFailing([.markDelivered, .reschedule], false)
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func aQuestionAnsweredWhileTheStoreCannotSaveTheReplyIsNotAskedAgain() async throws {
        let store = FlakyWritesStore()
        store.setFailing([.replaceDelivery, .reschedule], true)
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await StubWebhookReceiver.withRunning { receiver in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                store: store,
                answerer: answerer,
                delivery: Self.fastRetries
            ) { harness in
                #expect(try await harness.post(body: Self.question).status == 202)
                #expect(try await WebhookTestHarness.eventually { store.calls(.replaceDelivery) >= 3 })
                #expect(answerer.questions.count == 1, "GoAPI is asked once, not once per failed write")
                #expect(receiver.requests.isEmpty)

                store.setFailing([.replaceDelivery, .reschedule], false)
                let request = try #require(try await receiver.waitForRequests(1).first)
                #expect(String(decoding: request.body, as: UTF8.self).contains("Forty-two."))
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
            #expect(answerer.questions.count == 1)
            #expect(receiver.requests.count == 1)
        }
    }

    @Test func anAnswerHeldForTheStoreLongerThanTheGiveUpAgeIsStillDeliveredAndFreesItsThread() async throws {
        let store = FlakyWritesStore()
        store.setFailing([.replaceDelivery], true)
        let clock = SettableClock(Date())
        let answerer = FakeAnswerer(.reply("Forty-two."))
        try await StubWebhookReceiver.withRunning { receiver in
            try await WebhookTestHarness.withServer(
                endpoints: [Self.unthrottled(replyingTo: receiver.url)],
                store: store,
                answerer: answerer,
                now: clock.now,
                delivery: Self.fastRetries
            ) { harness in
                #expect(try await harness.post(body: Self.question, id: "msg_first").status == 202)
                #expect(try await WebhookTestHarness.eventually { store.calls(.replaceDelivery) >= 1 })
                // The disk stays full for longer than the give-up age (60 s here), then recovers. The disk first: the
                // clock stands still between advances, so a write tried (and failed) between the two would rest
                // until a moment this clock never reaches.
                store.setFailing([.replaceDelivery], false)
                clock.advance(by: 3_600)
                let request = try #require(try await receiver.waitForRequests(1).first)
                #expect(String(decoding: request.body, as: UTF8.self).contains("Forty-two."))
                #expect(try await harness.store.deadLetters(limit: 10).isEmpty, "answered, so not given up")

                // The thread is free again: the next question in it is answered.
                let next = #"{"thread": "t-1", "text": "And seven times six?"}"#
                #expect(try await harness.post(body: next, id: "msg_second").status == 202)
                #expect(try await receiver.waitForRequests(2).count == 2)
                #expect(try await WebhookTestHarness.eventually { try await harness.store.pendingDeliveryCount() == 0 })
            }
        }
        #expect(answerer.questions.map(\.text) == ["What is six times seven?", "And seven times six?"])
    }
}
