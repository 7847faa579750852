import Foundation
import IRC
import Logging
import Store

extension IRCBridge {
    /// Runs a `!gpt` command and answers it in place.
    func handle(_ command: ChatCommand, message: IRCIncomingMessage, key: String, on network: Network) async {
        let formatter = self.formatter(for: message.replyTarget, on: network)
        let reply = { (text: String) in
            self.send(formatter.notice(text, asker: message.nick), replyingTo: message, on: network)
        }
        if command.changesSettings, !self.mayChangeSettings(message, on: network) {
            reply("only channel operators and bridge admins can change this channel's settings.")
            return
        }
        do {
            switch command {
            case .help:
                reply(ChatCommand.helpText(prefix: network.configuration.commandPrefix))
            case .status:
                reply(try await self.status(message: message, key: key, on: network))
            case .reset:
                // First, so a reset still forgets what only memory holds when the store refuses the delete.
                self.asker.forgetUnsaved(key: key)
                try await self.store.deleteConversations(key: key)
                try await self.store.deleteTranscript(key: key)
                reply("done; the next question starts a new conversation.")
            case .forget:
                let count = try await self.store.deleteTranscript(key: key)
                reply("done; forgot \(count) message(s) of history kept for the backup model.")
            case .use(let choice):
                guard let gizmo = Self.gizmoSetting(choice) else {
                    reply("\"\(choice)\" is not a GPT id; use g-… (from the GPT's URL), default or none.")
                    return
                }
                try await self.updateSettings(key: key) { $0.gizmo = gizmo }
                let profile = await self.profile(for: message, key: key, on: network)
                reply("now using \(profile.gizmoID.map { "GPT \($0)" } ?? "no GPT") with model \(profile.model).")
            case .model(let choice):
                let isDefault = choice.lowercased() == "default"
                guard isDefault || Self.isPlausibleModelName(choice) else {
                    reply("\"\(choice)\" does not look like a model name (letters, digits, . _ - only).")
                    return
                }
                try await self.updateSettings(key: key) { $0.model = isDefault ? nil : choice }
                let profile = await self.profile(for: message, key: key, on: network)
                reply("now using model \(profile.model).")
            }
        } catch {
            self.logger(for: message, on: network).error("command failed", metadata: ["error": "\(error)"])
            reply("that did not work: the bridge cannot reach its database right now.")
        }
    }

    private func status(message: IRCIncomingMessage, key: String, on network: Network) async throws -> String {
        let profile = await self.profile(for: message, key: key, on: network)
        let record = try await self.store.conversation(key: key, gizmoID: profile.gizmoID, model: profile.model)
        let conversation = record.map { "conversation \($0.conversationID.prefix(8))…" } ?? "no conversation yet"
        let waiting = network.queues.waiting(for: key)
        return "\(profile.gizmoID.map { "GPT \($0)" } ?? "no GPT"), model \(profile.model), \(conversation)"
            + (waiting > 0 ? ", \(waiting) question(s) waiting" : "")
    }

    private func updateSettings(key: String, _ change: (inout ChannelSettings) -> Void) async throws {
        var settings = try await self.store.channelSettings(key: key) ?? ChannelSettings(key: key, updatedAt: Date())
        change(&settings)
        settings.updatedAt = Date()
        try await self.store.saveChannelSettings(settings)
    }

    /// Channel operators and admin masks may change a channel; anyone may change their own private query.
    private func mayChangeSettings(_ message: IRCIncomingMessage, on network: Network) -> Bool {
        if message.isPrivate || message.senderIsChannelOperator { return true }
        let caseMapping = network.service.snapshot.isupport.caseMapping
        return network.configuration.adminMasks.contains {
            IRCMask($0).matches(message.source, caseMapping: caseMapping)
        }
    }

    static func gizmoSetting(_ choice: String) -> GizmoSetting? {
        switch choice.lowercased() {
        case "default": return .inherit
        case "none": return GizmoSetting.none
        default:
            return Self.gizmoID(in: choice).map { .id($0) }
        }
    }

    /// The GPT id in what someone typed: the id (`g-3w1rEXGE0`), the last part of the GPT's address with its
    /// name (`g-3w1rEXGE0-design-helper`), or the whole address (`https://chatgpt.com/g/g-3w1rEXGE0-design-helper`),
    /// which is what people copy. GoAPI wants the id alone: with the name attached every question failed.
    static func gizmoID(in text: String) -> String? {
        let address = text.prefix { $0 != "?" && $0 != "#" }
        let last = address.split(separator: "/").last ?? address
        guard last.hasPrefix("g-") else { return nil }
        let id = last.dropFirst(2).prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let name = last.dropFirst(2 + id.count)
        guard !id.isEmpty, id.count <= 64, name.isEmpty || name.hasPrefix("-") else { return nil }
        return "g-" + id
    }

    static func isPlausibleModelName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
