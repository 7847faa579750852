extension IRCClientStateMachine {
    /// Whether `message` is a channel PRIVMSG the server stamped (`server-time`) before the bot's own JOIN of that
    /// channel. Such a line was said before the bot was there, so it is replayed history even outside a history
    /// batch: InspIRCd's `chanhistory` replays without one when the server offers no `batch`, and so do bouncers.
    /// Answered, every rejoin would repeat the old answers in the channel.
    func isStampedBeforeJoin(_ message: IRCMessage) -> Bool {
        guard message.command == "PRIVMSG", let target = message.parameters.first, self.isupport.isChannel(target),
            let joined = self.channelJoinTimes[self.fold(target)],
            let said = Self.serverTime(message.tags["time"])
        else { return false }
        return said < joined
    }

    /// Remembers when the server says the bot joined `channel` (its JOIN's `time` tag), for
    /// ``isStampedBeforeJoin(_:)``; forgets it when the JOIN carries no valid stamp.
    mutating func recordJoinTime(_ message: IRCMessage, channel: String) {
        let key = self.fold(channel)
        guard let time = Self.serverTime(message.tags["time"]),
            self.channelJoinTimes[key] != nil || self.channelJoinTimes.count < ChannelRoster.maximumChannels
        else {
            self.channelJoinTimes[key] = nil
            return
        }
        self.channelJoinTimes[key] = time
    }

    /// `value` when it is a `server-time` stamp in the one form the IRCv3 spec allows
    /// (`YYYY-MM-DDThh:mm:ss.sssZ`), where comparing the text compares the instants; `nil` otherwise, so a stamp
    /// in any other form is never trusted to order lines.
    static func serverTime(_ value: String?) -> String? {
        guard let value, value.utf8.count == 24 else { return nil }
        for (index, byte) in value.utf8.enumerated() {
            let expected: UInt8? =
                switch index {
                case 4, 7: UInt8(ascii: "-")
                case 10: UInt8(ascii: "T")
                case 13, 16: UInt8(ascii: ":")
                case 19: UInt8(ascii: ".")
                case 23: UInt8(ascii: "Z")
                default: nil
                }
            if let expected {
                guard byte == expected else { return nil }
            } else {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            }
        }
        return value
    }
}
