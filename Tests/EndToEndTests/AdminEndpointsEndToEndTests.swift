import BridgeTesting
import Testing

/// The admin listener of the real binary as an operator's monitoring sees it: `/readyz` follows the IRC connection
/// through outages and names channels the bot is not in, and `/metrics` counts what the bridge did.
@Suite(.inspircdInstalled, .bridgeBinaryBuilt, .timeLimit(.minutes(4)))
struct AdminEndpointsEndToEndTests {
    private let bot = BridgeTestbed.botNick
    private let lobby = BridgeTestbed.channel
    private let network = "irc:testnet"

    @Test func readinessFollowsTheIRCConnectionThroughAnOutage() async throws {
        try await BridgeTestbed.run { testbed in
            // The network is down when the bridge starts: it runs, but cannot answer anyone on IRC.
            await testbed.server.beginOutage()
            let bridge = try testbed.launchBridge(testbed.configuration())
            let admin = try await AdminClient(bridge)
            #expect(try await admin.health() == 200, "alive, though not ready")
            let starting = try await admin.readiness()
            #expect(starting.status == 503, "\(starting)")
            #expect(starting.notReady == [self.network: "not registered"], "only IRC is not ready: \(starting)")
            #expect(starting.checks.isSuperset(of: ["store", "shutdown", self.network]), "\(starting)")

            try await testbed.server.endOutage()
            let ready = try await admin.waitForReadiness(status: 200, timeout: .seconds(90))
            #expect(ready.notReady.isEmpty, "\(ready)")
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby, thenAwait: self.bot)
            alice.close()

            await testbed.server.beginOutage()
            let lost = try await admin.waitForReadiness(status: 503)
            #expect(lost.notReady == [self.network: "not registered"], "\(lost)")
            #expect(try await admin.health() == 200)

            try await testbed.server.endOutage()
            let back = try await admin.waitForReadiness(status: 200, timeout: .seconds(90))
            #expect(back.notReady.isEmpty, "\(back)")
        }
    }

    @Test func aKickedBotStaysReadyAndReadinessNamesTheChannel() async throws {
        try await BridgeTestbed.run { testbed in
            // Alice opens the channel, so she is its operator and may kick the bot.
            let alice = try await testbed.person("alice")
            try await alice.join(self.lobby)
            let bridge = try testbed.launchBridge(testbed.configuration())
            let admin = try await AdminClient(bridge)
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            // Alice may see the bot's JOIN before the bridge has read it: wait until the bridge knows it is in.
            let joined = try await admin.waitForDetail(of: self.network, containing: nil)
            #expect(joined.status == 200, "\(joined)")

            try await alice.send("KICK \(self.lobby) \(self.bot) :readiness check")
            // One channel the bot is out of does not take the bridge (webhooks too) out of a load balancer; the
            // report says which channel and why.
            let kicked = try await admin.waitForDetail(
                of: self.network,
                containing: "\(self.lobby) (kicked by alice",
                timeout: .seconds(9)
            )
            #expect(kicked.status == 200, "\(kicked)")
            #expect(kicked.notReady.isEmpty, "\(kicked)")
            #expect(kicked.details[self.network]?.contains("kicked by alice: readiness check") == true, "\(kicked)")
            let metrics = try await admin.metrics()
            #expect(
                metrics.value("irc_connection_state", ["network": "testnet"]) == 2,
                "registered, not every channel joined"
            )

            // The bot rejoins by itself after ten seconds, and the detail goes.
            try await alice.waitForJoin(of: self.bot, to: self.lobby)
            let back = try await admin.waitForDetail(of: self.network, containing: nil)
            #expect(back.status == 200, "\(back)")
            await alice.quit()
        }
    }

    /// Webhook questions refused by the endpoint's rate limit are counted with the others, as on IRC; before,
    /// only `webhook_requests_total` showed the 429s and `bridge_questions_total` no throttling at all.
    @Test func webhookQuestionsOverTheRateLimitAreCounted() async throws {
        try await BridgeTestbed.run { testbed in
            try await StubWebhookReceiver.withRunning { receiver in
                var configuration = testbed.configuration()
                configuration.webhookEndpoints = [.generic(reply: .async(replyURL: receiver.url))]
                configuration.webhookRequestsPerMinute = 1
                let bridge = try testbed.launchBridge(configuration)
                let admin = try await AdminClient(bridge)
                let webhookPort = try await bridge.webhookPort()
                #expect(try await SignedWebhookRequest(thread: "ops", text: "one").send(to: webhookPort).status == 202)
                #expect(try await SignedWebhookRequest(thread: "ops", text: "two").send(to: webhookPort).status == 429)
                let limited = ["source": "webhook", "origin": "/hooks/team", "result": "rate_limited"]
                #expect(try await admin.metrics().value("bridge_questions_total", limited) == 1)
            }
        }
    }

    @Test func metricsCountQuestionsRequestsDeliveriesAndReconnects() async throws {
        try await BridgeTestbed.run { testbed in
            try await StubWebhookReceiver.withRunning { receiver in
                let alice = try await testbed.person("alice")
                try await alice.join(self.lobby)
                var configuration = testbed.configuration()
                configuration.webhookEndpoints = [.generic(reply: .async(replyURL: receiver.url))]
                let bridge = try testbed.launchBridge(configuration)
                let admin = try await AdminClient(bridge)
                let webhookPort = try await bridge.webhookPort()
                try await alice.waitForJoin(of: self.bot, to: self.lobby)

                testbed.stub.enqueue(.reply("Metrics are numbers.", eventDelay: .milliseconds(20)))
                try await alice.send("PRIVMSG \(self.lobby) :\(self.bot): what are metrics?")
                _ = try await alice.waitForReply(from: self.bot, startingWith: "alice: Metrics are numbers.")
                let request = try SignedWebhookRequest(thread: "ops", text: "count me in")
                #expect(try await request.send(to: webhookPort).status == 202)
                _ = try await receiver.waitForRequests(1, timeout: .seconds(60))

                let delivered = ["kind": "generic", "outcome": "delivered"]
                // The outbox depth is sampled every few seconds; wait for the sample after the delivery.
                let metrics = try await waitFor("the delivery counted and the outbox seen empty") {
                    let metrics = try await admin.metrics()
                    let settled =
                        metrics.value("webhook_delivery_attempts_total", delivered) == 1
                        && metrics.value("webhook_outbox_depth") == 0
                    return settled ? metrics : nil
                }
                let testnet = ["network": "testnet"]
                #expect(metrics.value("irc_connection_state", testnet) == 3, "ready: registered and joined")
                #expect((metrics.value("irc_lines_sent_total", testnet) ?? 0) >= 3, "NICK, USER, JOIN, the reply…")
                #expect((metrics.value("irc_lines_received_total", testnet) ?? 0) >= 3)
                #expect(metrics.value("irc_flood_queue_depth", testnet) == 0)
                #expect(metrics.value("irc_reconnects_total", testnet) == 0)
                #expect(
                    metrics.value(
                        "bridge_questions_total",
                        ["source": "irc", "origin": "testnet", "result": "accepted"]
                    ) == 1
                )
                #expect(
                    metrics.value(
                        "bridge_questions_total",
                        ["source": "webhook", "origin": "/hooks/team", "result": "accepted"]
                    ) == 1
                )
                #expect(metrics.value("goapi_requests_total", ["outcome": "ok"]) == 2)
                for histogram in ["goapi_time_to_first_byte_seconds", "goapi_time_to_end_turn_seconds"] {
                    #expect(metrics.value(histogram + "_count") == 2, "\(histogram): one per question")
                    let buckets = metrics.samples(named: histogram + "_bucket")
                    #expect(buckets.count > 2, "\(histogram) has buckets")
                    #expect(buckets.first { $0.labels == ["le": "+Inf"] }?.value == 2, "\(histogram)")
                    #expect((metrics.value(histogram + "_sum") ?? 0) > 0, "\(histogram)")
                }
                #expect(metrics.value("webhook_requests_total", ["endpoint": "/hooks/team", "status": "202"]) == 1)

                try await testbed.server.restart()
                alice.close()
                let reconnected = try await waitFor(
                    "a reconnect counted and the bot ready again",
                    timeout: .seconds(90)
                ) {
                    let metrics = try await admin.metrics()
                    let done =
                        (metrics.value("irc_reconnects_total", testnet) ?? 0) >= 1
                        && metrics.value("irc_connection_state", testnet) == 3
                    return done ? metrics : nil
                }
                #expect(
                    (reconnected.value("irc_lines_sent_total", testnet) ?? 0)
                        > (metrics.value("irc_lines_sent_total", testnet) ?? 0),
                    "registering again sent lines"
                )
            }
        }
    }
}
