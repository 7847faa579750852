import GoAPI
import Logging

extension Result where Success == ConversationReply, Failure == AskFailure {
    /// Logs how a question ended, the same way for IRC and webhooks: a complete answer at `answeredLevel`, an answer
    /// cut off at notice, a failure at warning. Without it, a webhook answer that failed left only its delivery in
    /// the log.
    func logOutcome(logger: Logger, answeredLevel: Logger.Level = .info) {
        switch self {
        case .success(let reply) where reply.isComplete:
            logger.log(
                level: answeredLevel,
                "answered",
                metadata: ["goapi.conversation_id": "\(reply.conversationID)"]
            )
        case .success(let reply):
            logger.notice(
                "answer cut off",
                metadata: [
                    "goapi.conversation_id": "\(reply.conversationID)",
                    "goapi.error": "\(reply.interruption.map { "\($0)" } ?? "cut off")",
                ]
            )
        case .failure(let failure):
            logger.warning("question failed", metadata: ["error": "\(failure)"])
        }
    }
}
