/// The stable name of one conversation place: an IRC channel or query, or a webhook thread.
///
/// Channel and nick parts are case-folded by the caller with the network's CASEMAPPING, so `#Design` and
/// `#design` share one conversation across restarts.
package enum ConversationKey {
    /// `irc:<network>:<folded channel>`.
    package static func ircChannel(network: String, foldedChannel: String) -> String {
        "irc:\(network):\(foldedChannel)"
    }

    /// `irc:<network>:query:<folded nick>` — a private query is its own conversation per person.
    package static func ircQuery(network: String, foldedNick: String) -> String {
        "irc:\(network):query:\(foldedNick)"
    }

    /// `webhook:<endpoint path>:<thread>`.
    package static func webhookThread(endpoint: String, thread: String) -> String {
        "webhook:\(endpoint):\(thread)"
    }
}
