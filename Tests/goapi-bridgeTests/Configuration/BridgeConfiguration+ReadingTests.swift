import Testing

@testable import goapi_bridge

@Suite struct BridgeConfigurationReadingTests {
    @Test func needsSomethingToDo() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(networks: nil))
                == ["(root): nothing to do: configure irc.networks or webhooks.endpoints"]
        )
        #expect(
            ConfigFixture.problems(ConfigFixture.document(networks: nil, endpoints: []))
                == ["(root): nothing to do: configure irc.networks or webhooks.endpoints"]
        )
    }

    @Test func ircOnlyAndWebhooksOnlyAreBothFine() throws {
        let ircOnly = try ConfigFixture.load(ConfigFixture.document())
        #expect(ircOnly.webhooks == nil && ircOnly.irc != nil)
        let webhooksOnly = try ConfigFixture.load(
            ConfigFixture.document(networks: nil, endpoints: [ConfigFixture.slackEndpoint])
        )
        #expect(webhooksOnly.irc == nil && webhooksOnly.webhooks != nil)
    }

    @Test func webhooksWithoutEndpointsAreFineNextToIRC() throws {
        #expect(try ConfigFixture.load(ConfigFixture.document(endpoints: [])).webhooks?.endpoints == [])
    }

    @Test(arguments: [
        ("127.0.0.1:8080", true), ("0.0.0.0:8080", true), ("127.0.0.1:8081", false), ("127.0.0.2:8080", false),
    ])
    func adminAndWebhooksNeedDifferentSockets(admin: String, conflicts: Bool) {
        let document = ConfigFixture.document(
            endpoints: [ConfigFixture.slackEndpoint],
            extra: ["admin": ["listen": .string(admin)]]
        )
        let expected =
            conflicts ? ["admin.listen: \(admin) is also webhooks.listen (the admin server needs its own port)"] : []
        #expect(ConfigFixture.problems(document) == expected)
    }

    /// `localhost` is 127.0.0.1 here (and in most /etc/hosts): `check-config` said OK, and `run` then failed with
    /// `Error: bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`, naming neither listener.
    @Test(arguments: ["localhost:8080", "LOCALHOST:8080"])
    func adminOnAnotherSpellingOfTheWebhookAddressIsACollision(admin: String) {
        let document = ConfigFixture.document(
            endpoints: [ConfigFixture.slackEndpoint],
            extra: ["admin": ["listen": .string(admin)]]
        )
        #expect(ConfigFixture.problems(document).contains { $0.hasPrefix("admin.listen: ") })
    }

    /// `check-config` names every problem in one run: a wrong endpoint must not hide the listener clash until it
    /// is fixed.
    @Test func theClashIsReportedNextToABrokenEndpoint() {
        let document = ConfigFixture.document(
            endpoints: [["path": "/hooks/slack", "kind": "slack"]],
            extra: ["admin": ["listen": "127.0.0.1:8080"]]
        )
        let problems = ConfigFixture.problems(document)
        #expect(
            problems.contains(
                "admin.listen: 127.0.0.1:8080 is also webhooks.listen (the admin server needs its own port)"
            )
        )
        #expect(problems.contains { $0.hasPrefix("webhooks.endpoints[0].") }, "\(problems)")
    }

    @Test func adminListenIsChecked() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(extra: ["admin": ["listen": "9090"]]))
                == [#"admin.listen: "9090" is not host:port (e.g. 127.0.0.1:8080 or [::1]:8080)"#]
        )
    }

    @Test func unknownSectionSuggestsTheRealOne() {
        #expect(
            ConfigFixture.problems(ConfigFixture.document(extra: ["webhook": [:]]))
                == [#"webhook: unknown key (did you mean "webhooks"?)"#]
        )
    }
}
