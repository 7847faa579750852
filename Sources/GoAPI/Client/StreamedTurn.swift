import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Timers

/// What reading one event stream produced: the reducer's verdict, and why reading stopped early if it did.
struct StreamedTurn: Sendable {
    var outcome: Result<ConversationTurn, ConversationStreamError>
    var interruption: GoAPIError?
    /// The stream named more images than a turn keeps (see ``ConversationStreamReducer/maximumImageCount``).
    var omittedImages = false
    /// Events skipped because their data was not the JSON the reducer expects; more than none hints that GoAPI's
    /// format changed.
    var malformedEvents = 0

    /// Reads `response` until the reducer says the turn is over, the stream ends, or it fails.
    static func read(
        _ response: HTTPClientResponse,
        client: GoAPIClient,
        timedOut: TimeoutFlag,
        _ onConversationID: @Sendable (String) async -> Void
    ) async -> StreamedTurn {
        var reducer = ConversationStreamReducer()
        var interruption: GoAPIError?
        let decoder = ServerSentEventDecoder(maximumEventSize: client.configuration.maximumEventSize)
        var events = response.body.decode(using: decoder).makeAsyncIterator()
        do {
            while let event = try await events.next() {
                let step = reducer.receive(event)
                if let id = step.revealedConversationID {
                    await onConversationID(id)
                }
                if step.isFinal {
                    StreamRemainder(events).readInBackground()
                    break
                }
            }
        } catch let error as ServerSentEventDecoderError {
            interruption = GoAPIError(.invalidResponse, detail: error.description)
        } catch {
            interruption = GoAPIError(transportError: error, timedOut: timedOut, partial: nil)
            if interruption?.code == .connectFailed {
                interruption = GoAPIError(.cutOff, detail: "connection lost mid-stream")
            }
        }
        return StreamedTurn(
            outcome: reducer.outcome(),
            interruption: interruption,
            omittedImages: reducer.omittedImages,
            malformedEvents: reducer.malformedEventCount
        )
    }
}

/// The rest of a stream whose turn is over (GoAPI still sends `[DONE]`), read to its end in the background.
///
/// A response body left unfinished makes the HTTP client close its connection, so stopping at `end_turn` cost a new
/// connection (a TLS handshake to GoAPI) for every question whenever `[DONE]` came in a later packet. Reading it
/// here keeps the connection for the next question without making the person wait for it: the reply is already on
/// its way. A server that sends more than a few events after the turn, or keeps the stream open, loses the
/// connection after ``limit`` instead.
struct StreamRemainder<Events: AsyncIteratorProtocol & SendableMetatype>: @unchecked Sendable {
    // Unchecked: the iterator moves into the background task and nothing else touches it afterwards.
    private var events: Events

    /// How long the rest of a stream may take.
    static var limit: Duration { .seconds(2) }
    /// How many more events are read before giving up on the connection.
    static var eventLimit: Int { 16 }

    init(_ events: Events) {
        self.events = events
    }

    /// Reads the rest in a task of its own; returns at once.
    consuming func readInBackground() {
        let remainder = self
        let (limit, eventLimit) = (Self.limit, Self.eventLimit)
        Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var events = remainder.events
                    var count = 0
                    while count < eventLimit, (try? await events.next()) != nil { count += 1 }
                }
                group.addTask { try? await Timers.sleep(for: limit) }
                await group.next()
                group.cancelAll()
            }
        }
    }
}

extension GoAPIError {
    /// Classifies an error thrown by the HTTP client or by cancellation.
    init(transportError error: any Error, timedOut: TimeoutFlag, partial: ConversationTurn?) {
        if timedOut.isSet {
            self.init(.replyTimeout, partial: partial)
        } else if error is CancellationError || (error as? HTTPClientError) == .cancelled || Task.isCancelled {
            self.init(.cancelled, partial: partial)
        } else if let error = error as? HTTPClientError, error == .readTimeout {
            self.init(.idleTimeout, detail: "no data for longer than the idle timeout", partial: partial)
        } else {
            self.init(.connectFailed, detail: String(describing: error), partial: partial)
        }
    }
}

extension HTTPClientResponse {
    /// GoAPI streams only with `text/event-stream`; anything else is an error body.
    var isEventStream: Bool {
        self.headers["content-type"].contains { $0.lowercased().hasPrefix("text/event-stream") }
    }

    /// `Retry-After` in seconds, when the server sent one as a finite, non-negative number (`Double` also reads
    /// `inf`, `nan` and `1e400`, which no server means).
    var retryAfterSeconds: Double? {
        guard
            let value = self.headers["retry-after"].first.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            value.isFinite, value >= 0
        else { return nil }
        return value
    }
}
