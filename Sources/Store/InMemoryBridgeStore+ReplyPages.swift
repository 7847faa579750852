import Foundation
import Synchronization

extension InMemoryBridgeStore {
    /// See ``BridgeStore/saveReplyPage(_:)``.
    package func saveReplyPage(_ page: ReplyPage) async throws {
        state.withLock { $0.replyPages[ByteString(page.id)] = page }
    }

    /// See ``BridgeStore/replyPage(id:now:)``.
    package func replyPage(id: String, now: Date) async throws -> ReplyPage? {
        state.withLock { state in
            state.replyPages[ByteString(id)].flatMap { $0.expiresAt > now ? $0 : nil }
        }
    }

    /// See ``BridgeStore/purgeExpiredReplyPages(now:)``.
    @discardableResult
    package func purgeExpiredReplyPages(now: Date) async throws -> Int {
        state.withLock { state in
            let before = state.replyPages.count
            state.replyPages = state.replyPages.filter { $0.value.expiresAt > now }
            return before - state.replyPages.count
        }
    }
}
