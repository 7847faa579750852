import Metrics

/// The metrics of one IRC network, labelled `network`. Created through the process's `MetricsSystem`, which only
/// the executable bootstraps; elsewhere (tests) they are no-ops.
struct IRCNetworkMetrics: Sendable {
    /// Where a network's connection stands, as the `irc_connection_state` gauge reports it.
    enum ConnectionState: Int {
        /// No connection; a reconnect is pending.
        case disconnected = 0
        /// Connected, registering (CAP, SASL, NICK/USER).
        case registering = 1
        /// Registered, not every configured channel joined.
        case registered = 2
        /// Registered and every configured channel joined: answering.
        case ready = 3
    }

    private let state: Gauge
    private let reconnects: Counter
    private let linesSent: Counter
    private let linesReceived: Counter
    private let queueDepth: Gauge

    /// Creates the metrics for the network `name`.
    init(network name: String) {
        let dimensions = [("network", name)]
        self.state = Gauge(label: "irc_connection_state", dimensions: dimensions)
        self.reconnects = Counter(label: "irc_reconnects_total", dimensions: dimensions)
        self.linesSent = Counter(label: "irc_lines_sent_total", dimensions: dimensions)
        self.linesReceived = Counter(label: "irc_lines_received_total", dimensions: dimensions)
        self.queueDepth = Gauge(label: "irc_flood_queue_depth", dimensions: dimensions)
        self.state.record(ConnectionState.disconnected.rawValue)
        self.queueDepth.record(0)
    }

    /// Records the connection's state.
    func record(_ state: ConnectionState) {
        self.state.record(state.rawValue)
    }

    /// Counts a reconnect attempt after a lost or failed connection.
    func reconnecting() {
        self.reconnects.increment()
    }

    /// Counts a line written to the server.
    func sent() {
        self.linesSent.increment()
    }

    /// Counts a line read from the server.
    func received() {
        self.linesReceived.increment()
    }

    /// Records how many lines wait in the flood queue.
    func queue(depth: Int) {
        self.queueDepth.record(depth)
    }
}

extension IRCClientStateMachine {
    /// The state to report for this machine on a live connection.
    var metricsState: IRCNetworkMetrics.ConnectionState {
        guard self.isRegistered else { return .registering }
        return self.isFullyJoined ? .ready : .registered
    }
}
