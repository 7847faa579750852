import BridgeTesting
import Foundation

/// Where the `goapi-bridge` executable under test is: `GOAPI_BRIDGE_BINARY` if set, otherwise the debug build
/// next to the test bundle (`swift test` builds the executable because a test target depends on it).
enum BridgeBinary {
    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["GOAPI_BRIDGE_BINARY"], !explicit.isEmpty {
            return explicit
        }
        return TestData.repositoryRoot.appendingPathComponent(".build/debug/goapi-bridge").path
    }

    static var exists: Bool {
        FileManager.default.isExecutableFile(atPath: self.path)
    }
}
