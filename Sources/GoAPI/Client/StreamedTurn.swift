import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What reading one event stream produced: the reducer's verdict, and why reading stopped early if it did.
struct StreamedTurn: Sendable {
    var outcome: Result<ConversationTurn, ConversationStreamError>
    var interruption: GoAPIError?

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
        do {
            for try await event in response.body.decode(using: decoder) {
                let step = reducer.receive(event)
                if let id = step.revealedConversationID {
                    await onConversationID(id)
                }
                if step.isFinal { break }
            }
        } catch let error as ServerSentEventDecoderError {
            interruption = GoAPIError(.invalidResponse, detail: error.description)
        } catch {
            interruption = GoAPIError(transportError: error, timedOut: timedOut, partial: nil)
            if interruption?.code == .connectFailed {
                interruption = GoAPIError(.cutOff, detail: "connection lost mid-stream")
            }
        }
        return StreamedTurn(outcome: reducer.outcome(), interruption: interruption)
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

    /// `Retry-After` in seconds, when the server sent one as a number.
    var retryAfterSeconds: Double? {
        self.headers["retry-after"].first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}
