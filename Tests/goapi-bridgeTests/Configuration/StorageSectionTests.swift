import Testing

@testable import goapi_bridge

@Suite struct StorageSectionTests {
    private func problems(_ storage: JSONValue) -> [String] {
        ConfigFixture.problems(ConfigFixture.document(extra: ["storage": storage]))
    }

    @Test func readsPathAndRetention() throws {
        let storage = try ConfigFixture.load(
            ConfigFixture.document(extra: [
                "storage": ["sqlitePath": "/var/lib/goapi-bridge/db.sqlite", "deliveryIdRetentionSeconds": 300]
            ])
        ).storage
        #expect(storage == .init(sqlitePath: "/var/lib/goapi-bridge/db.sqlite", deliveryIdRetention: .seconds(300)))
    }

    @Test func retentionMustCoverTheReplayWindow() {
        #expect(
            problems(["deliveryIdRetentionSeconds": 60]) == [
                "storage.deliveryIdRetentionSeconds: must be at least 300, not 60 (signed webhooks are accepted "
                    + "for 5 minutes, so their ids must be remembered at least that long)"
            ]
        )
    }

    @Test func sqlitePathMustNotBeEmpty() {
        #expect(problems(["sqlitePath": ""]) == ["storage.sqlitePath: must not be empty"])
    }
}
