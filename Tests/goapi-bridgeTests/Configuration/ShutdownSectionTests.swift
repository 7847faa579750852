import Testing

@testable import goapi_bridge

@Suite struct ShutdownSectionTests {
    @Test func theGracePeriodDefaultsToThirtySeconds() throws {
        let configuration = try ConfigFixture.load(ConfigFixture.document())
        #expect(configuration.shutdown == .init(gracePeriod: .seconds(30)))
    }

    @Test func theGracePeriodIsRead() throws {
        let document = ConfigFixture.document(extra: ["shutdown": ["gracePeriodSeconds": 2.5]])
        #expect(try ConfigFixture.load(document).shutdown.gracePeriod == .milliseconds(2_500))
    }

    @Test func badGracePeriodsAndUnknownKeysAreNamed() {
        let problems = ConfigFixture.problems(
            ConfigFixture.document(extra: ["shutdown": ["gracePeriodSeconds": 0, "gracePeriod": 5]])
        )
        #expect(problems.contains("shutdown.gracePeriodSeconds: must be greater than 0, not 0"))
        #expect(problems.contains { $0.hasPrefix("shutdown.gracePeriod: unknown key") })
    }
}
