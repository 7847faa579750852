import Foundation

/// A scratch directory for database files.
struct TemporaryDirectory {
    /// The directory's path.
    let path: String

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }
}

/// Creates a new empty directory for one test.
func makeTemporaryDirectory() throws -> TemporaryDirectory {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("StoreTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return TemporaryDirectory(path: path)
}

/// Runs `body` with a new empty directory, deleted afterwards with everything in it.
func withTemporaryDirectory(_ body: (TemporaryDirectory) async throws -> Void) async throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    try await body(directory)
}
