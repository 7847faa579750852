extension BridgeConfiguration {
    /// What will run, for `check-config`'s success line: `1 IRC network, 2 channels, 3 webhook endpoints`.
    var summary: String {
        let networks = irc?.networks ?? []
        let channelCount = networks.reduce(0) { $0 + $1.channels.count }
        let endpointCount = webhooks?.endpoints.count ?? 0
        return [
            Self.count(networks.count, "IRC network"),
            Self.count(channelCount, "channel"),
            Self.count(endpointCount, "webhook endpoint"),
        ].joined(separator: ", ")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
