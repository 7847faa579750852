import Foundation

/// Locates the fixtures from outside the project (`../shared/testdata`, vendored verbatim under
/// `Tests/Fixtures/shared-testdata` so a clean clone can run its tests; `.ci/run` checks the copy is unchanged).
package enum TestData {
    /// The repository's root directory, derived from this file's location.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // BridgeTesting
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// The fixture directory.
    package static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/shared-testdata")

    /// The bytes of a fixture, e.g. `contents("goapi/text-turn.sse")`.
    package static func contents(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }

    /// The path of one of the project's own throwaway TLS files (`Tests/Fixtures/tls`): `client.pem`, its key
    /// `client.key`, and `other.key`, which belongs to no certificate.
    package static func tlsFile(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures/tls").appendingPathComponent(name).path
    }

    /// A fixture decoded as JSON.
    package static func json<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        try JSONDecoder().decode(type, from: contents(relativePath))
    }
}

/// A small deterministic random generator (SplitMix64) so "random chunking" tests replay identically.
package struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator for `seed`.
    package init(seed: UInt64) {
        self.state = seed
    }

    /// Next 64 random bits.
    package mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
