import BridgeTesting
import Synchronization
import Webhooks

/// An answerer that records the questions it gets and answers as told.
final class FakeAnswerer: WebhookAnswerer {
    /// How the next answers are made.
    enum Behaviour: Sendable {
        /// Answers at once with `reply` in conversation `conv-1`.
        case reply(String)
        /// Never answers on its own; returns an incomplete answer once cancelled.
        case hang
        /// Hangs (as `.hang`) on questions whose text is `text`; answers the others with `reply`.
        case hangOn(text: String, otherwise: String)
        /// Answers every question with `reply`, the one whose text is `text` only once `gate` opens.
        case holdOn(text: String, until: StubGate, reply: String)
    }

    private let state: Mutex<(behaviour: Behaviour, questions: [WebhookQuestion])>

    init(_ behaviour: Behaviour = .reply("Forty-two.")) {
        self.state = Mutex((behaviour, []))
    }

    /// Every question asked so far.
    var questions: [WebhookQuestion] {
        self.state.withLock { $0.questions }
    }

    func answer(_ question: WebhookQuestion) async -> WebhookAnswer {
        let behaviour = self.state.withLock { state in
            state.questions.append(question)
            return state.behaviour
        }
        if case .holdOn(let text, let gate, let reply) = behaviour {
            if question.text == text { try? await gate.wait() }
            return WebhookAnswer(conversationID: "conv-1", reply: reply)
        }
        if let text = behaviour.reply(to: question) {
            return WebhookAnswer(conversationID: "conv-1", reply: text)
        }
        // Sleeps until cancelled; the long duration only bounds a broken test.
        try? await Task.sleep(for: .seconds(3600))
        return WebhookAnswer(conversationID: nil, reply: nil, incomplete: true, error: "cancelled", partial: nil)
    }
}

extension FakeAnswerer.Behaviour {
    /// The reply to `question`, or nil when this behaviour hangs on it.
    fileprivate func reply(to question: WebhookQuestion) -> String? {
        switch self {
        case .reply(let text): text
        case .hang: nil
        case .hangOn(let text, let otherwise): question.text == text ? nil : otherwise
        case .holdOn(_, _, let reply): reply
        }
    }
}
