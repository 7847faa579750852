import Testing

@testable import goapi_bridge

@Suite struct StorageSectionTests {
    private func problems(_ storage: JSONValue) -> [String] {
        ConfigFixture.problems(ConfigFixture.document(extra: ["storage": storage]))
    }

    @Test func readsPathAndRetention() throws {
        let storage = try ConfigFixture.load(
            ConfigFixture.document(extra: [
                "storage": ["sqlitePath": "/var/lib/goapi-bridge/db.sqlite", "deliveryIdRetentionSeconds": 600]
            ])
        ).storage
        #expect(storage == .init(sqlitePath: "/var/lib/goapi-bridge/db.sqlite", deliveryIdRetention: .seconds(600)))
    }

    @Test func retentionMustCoverTheReplayWindow() {
        #expect(
            problems(["deliveryIdRetentionSeconds": 599]) == [
                "storage.deliveryIdRetentionSeconds: must be at least 600, not 599 (signed webhooks are accepted "
                    + "with timestamps up to 5 minutes either side of now, so a signature can stay valid for 10 "
                    + "minutes after it arrives)"
            ]
        )
    }

    @Test func sqlitePathMustNotBeEmpty() {
        #expect(problems(["sqlitePath": ""]) == ["storage.sqlitePath: must not be empty"])
    }
}
