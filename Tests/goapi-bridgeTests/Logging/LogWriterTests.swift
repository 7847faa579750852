import Foundation
import Testing

@testable import goapi_bridge

/// ``LogWriter`` against a real pipe, as stderr is under systemd or in a container. One test at a time: each blocks
/// a thread on its pipe, and on two cores parallel ones could keep a reader from running until a flush gave up.
@Suite(.serialized) struct LogWriterTests {
    /// A pipe whose read end the test drains by hand.
    final class Pipe: Sendable {
        let read: Int32
        let write: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
            (self.read, self.write) = (fds[0], fds[1])
        }

        /// Everything written until the write end is closed.
        func readAll() -> String {
            var data = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Foundation.read(self.read, $0.baseAddress, $0.count) }
                // A signal (SIGCHLD from the end-to-end tests' child processes) interrupts a blocking read; stopping
                // there closed the pipe early and lost the rest, so the count came up short in loaded runs.
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                data += chunk.prefix(count)
            }
            close(self.read)
            return String(decoding: data, as: UTF8.self)
        }

        /// ``readAll()`` on a thread of its own, started now: a blocking read on the tests' shared pool holds one of
        /// its two threads on this machine, and other tests (and this one's flush) then stall.
        func startReading() -> Task<String, Never> {
            let (texts, continuation) = AsyncStream.makeStream(of: String.self)
            Thread {
                continuation.yield(self.readAll())
                continuation.finish()
            }.start()
            return Task {
                for await text in texts { return text }
                return ""
            }
        }
    }

    @Test func linesFromManyThreadsArriveWholeAndEachThreadsInOrder() async throws {
        let pipe = try Pipe()
        let writer = LogWriter(fileDescriptor: pipe.write) { "dropped \($0)\n" }
        // The pipe is read only at the end, so keep the total under what a pipe holds plus the writer's buffer.
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    for line in 0..<200 {
                        writer.write("t\(thread) line \(line) " + String(repeating: "x", count: 20) + "\n")
                    }
                }
            }
        }
        writer.flush()
        close(pipe.write)
        let lines = pipe.readAll().split(separator: "\n")
        #expect(lines.count == 800)
        for thread in 0..<4 {
            let own = lines.filter { $0.hasPrefix("t\(thread) ") }
            #expect(own.map { $0.split(separator: " ")[2] } == (0..<200).map { Substring("\($0)") })
        }
        #expect(lines.allSatisfy { $0.hasSuffix(String(repeating: "x", count: 20)) }, "no line split by another")
    }

    @Test func aStuckDescriptorNeverMakesTheCallerWaitAndDropsAreReported() async throws {
        let pipe = try Pipe()
        // Nobody reads the pipe while the lines are logged: its 64 KiB fill up and the writer's queue blocks, as on
        // a journald that does not keep up. The callers must not block, whatever the queue does.
        let writer = LogWriter(fileDescriptor: pipe.write, capacity: 4_096) { "dropped \($0)\n" }
        let line = String(repeating: "y", count: 99) + "\n"
        let started = ContinuousClock.now
        for _ in 0..<5_000 { writer.write(line) }
        #expect(ContinuousClock.now - started < .seconds(30), "logging 500 kB into a stuck pipe returned at once")

        // The reader comes back: what fitted arrives, then how much did not.
        let reader = pipe.startReading()
        try await Task.sleep(for: .milliseconds(50))
        writer.flush()
        close(pipe.write)
        let text = await reader.value
        let lines = text.split(separator: "\n")
        let kept = lines.filter { $0.hasPrefix("y") }.count
        // Drops are reported whenever the writer gets to them: once at the end, or, when the writer thread ran
        // while the lines were still being logged (a loaded machine), in several notices.
        let notices = lines.filter { $0.hasPrefix("dropped ") }.map { Int($0.dropFirst("dropped ".count)) ?? -1 }
        #expect(!notices.isEmpty)
        #expect(kept + notices.reduce(0, +) == 5_000, "every line written or counted")
        #expect(kept < 5_000)
    }

    /// README › Logs: "if it falls more than 512 KiB behind, newer lines are dropped". The writer the process uses
    /// (default capacity, as `StructuredLogHandler.standardErrorWriter` makes it) keeps what the README promises.
    @Test func theProcessWriterKeepsWhatTheREADMEPromises() async throws {
        let pipe = try Pipe()
        let writer = LogWriter(fileDescriptor: pipe.write) { "dropped \($0)\n" }
        let line = String(repeating: "z", count: 99) + "\n"
        for _ in 0..<5_000 { writer.write(line) }
        let reader = pipe.startReading()
        writer.flush()
        close(pipe.write)
        let lines = await reader.value.split(separator: "\n")
        let notices = lines.filter { $0.hasPrefix("dropped ") }
        #expect(notices.isEmpty, "500 kB behind, lines were dropped: \(notices)")
        #expect(lines.filter { $0.hasPrefix("z") }.count == 5_000)
    }
}
