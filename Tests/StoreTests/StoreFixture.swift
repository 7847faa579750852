import Foundation
import Logging
import Store
import Testing

/// The store implementations the conformance suite runs against, so both keep the same semantics.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    /// ``SQLiteBridgeStore`` on a fresh file in a temporary directory.
    case sqlite
    /// ``InMemoryBridgeStore``.
    case inMemory

    /// The name shown in test results.
    var testDescription: String { rawValue }
}

/// A fresh, empty store of one kind, and the cleanup that closes and deletes it.
struct StoreFixture {
    /// The store under test.
    let store: any BridgeStore
    /// Where an SQLite store keeps its file; nil for the in-memory store.
    private let directory: String?

    /// Opens a new store of `kind`.
    init(_ kind: StoreKind) throws {
        switch kind {
        case .inMemory:
            store = InMemoryBridgeStore()
            directory = nil
        case .sqlite:
            let directory = try makeTemporaryDirectory()
            do {
                store = try SQLiteBridgeStore(path: directory.file("bridge.sqlite"), logger: .quiet)
            } catch {
                try? FileManager.default.removeItem(atPath: directory.path)
                throw error
            }
            self.directory = directory.path
        }
    }

    /// Closes the store and deletes its files.
    func tearDown() {
        if let store = store as? SQLiteBridgeStore {
            try? store.close()
        }
        if let directory {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

extension Logger {
    /// A logger that drops everything; the tests check behaviour, not log lines.
    static let quiet = Logger(label: "StoreTests", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A fixed point in time plus `seconds`; whole seconds keep dates exact through SQLite's REAL columns.
func at(_ seconds: Double) -> Date {
    Date(timeIntervalSince1970: 1_750_000_000 + seconds)
}
