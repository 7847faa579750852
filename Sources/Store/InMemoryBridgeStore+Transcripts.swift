import Foundation
import Synchronization

extension InMemoryBridgeStore {
    /// See ``BridgeStore/appendTranscript(key:turns:limits:)``.
    package func appendTranscript(key: String, turns: [TranscriptTurn], limits: TranscriptLimits) async throws {
        state.withLock { state in
            let all = state.transcripts[ByteString(key), default: []] + turns
            let kept = Array(limits.keptSuffix(of: all))
            state.transcripts[ByteString(key)] = kept.isEmpty ? nil : kept
        }
    }

    /// See ``BridgeStore/transcript(key:since:)``.
    package func transcript(key: String, since: Date) async throws -> [TranscriptTurn] {
        state.withLock { $0.transcripts[ByteString(key), default: []].filter { $0.createdAt >= since } }
    }

    /// See ``BridgeStore/deleteTranscript(key:)``.
    @discardableResult
    package func deleteTranscript(key: String) async throws -> Int {
        state.withLock { $0.transcripts.removeValue(forKey: ByteString(key))?.count ?? 0 }
    }

    /// See ``BridgeStore/purgeTranscripts(before:)``.
    @discardableResult
    package func purgeTranscripts(before date: Date) async throws -> Int {
        state.withLock { state in
            var purged = 0
            for (key, turns) in state.transcripts {
                let kept = turns.filter { $0.createdAt >= date }
                purged += turns.count - kept.count
                state.transcripts[key] = kept.isEmpty ? nil : kept
            }
            return purged
        }
    }
}
