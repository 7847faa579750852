import EventLoopExecutor
import NIOCore
import NIOPosix
import Testing

/// Work that prefers the background executor runs on its threads, at their lower priority, child tasks included,
/// and leaves the priority of every other thread alone.
@Suite struct BackgroundExecutorTests {
    /// Where a task runs: its thread's nice value and whether that thread is one of `group`'s loops.
    private static func whereThisRuns(in group: MultiThreadedEventLoopGroup) -> (niceness: Int32?, onGroup: Bool) {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop
        let onGroup = loop.map { current in group.makeIterator().contains { $0 === current } } ?? false
        return (BackgroundExecutor.currentThreadNiceness(), onGroup)
    }

    @Test func tasksThatPreferItRunOnItsThreadsAtItsPriority() async throws {
        let executor = BackgroundExecutor(threads: 2, niceness: 7)
        let callerNiceness = BackgroundExecutor.currentThreadNiceness()
        let (parent, children) = await withTaskExecutorPreference(executor) {
            let parent = Self.whereThisRuns(in: executor.group)
            let children = await withTaskGroup(of: (niceness: Int32?, onGroup: Bool).self) { group in
                for _ in 0..<8 { group.addTask { Self.whereThisRuns(in: executor.group) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (parent, children)
        }
        #expect(parent.onGroup)
        #expect(children.count == 8)
        #expect(children.allSatisfy { $0.onGroup }, "child tasks inherit the preference")
        #if os(Linux)
            #expect(parent.niceness == 7)
            #expect(children.allSatisfy { $0.niceness == 7 })
            #expect(await executor.niceness() == 7)
            #expect(callerNiceness == 0, "the test itself runs at normal priority")
            #expect(BackgroundExecutor.currentThreadNiceness() == callerNiceness, "only the executor's threads change")
        #endif
        try await executor.group.shutdownGracefully()
    }

    @Test func theSharedExecutorRunsAtTheDocumentedNiceness() async {
        #if os(Linux)
            #expect(await BackgroundExecutor.shared.niceness() == BackgroundExecutor.defaultNiceness)
            #expect(BackgroundExecutor.defaultNiceness == 10)
        #endif
    }
}
