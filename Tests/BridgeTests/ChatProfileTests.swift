import Bridge
import Foundation
import Store
import Testing

@Suite struct ChatProfileTests {
    let defaults = ProfileDefaults(gizmoID: "g-Default", model: "gpt-4o", gizmoModel: "gpt-4-gizmo")

    func settings(_ gizmo: GizmoSetting, model: String? = nil) -> ChannelSettings {
        ChannelSettings(key: "k", gizmo: gizmo, model: model, updatedAt: Date())
    }

    @Test func defaultsApplyWithoutChannelConfigOrSettings() {
        let profile = self.defaults.resolve(configuredGizmoID: nil, configuredModel: nil, settings: nil)
        #expect(profile == ChatProfile(gizmoID: "g-Default", model: "gpt-4-gizmo"))
    }

    @Test func channelConfigBeatsDefaults() {
        let profile = self.defaults.resolve(configuredGizmoID: "g-Channel", configuredModel: "o1", settings: nil)
        #expect(profile == ChatProfile(gizmoID: "g-Channel", model: "o1"))
    }

    @Test func storedSettingsBeatChannelConfig() {
        #expect(
            self.defaults.resolve(
                configuredGizmoID: "g-Channel",
                configuredModel: nil,
                settings: self.settings(.id("g-Chosen"))
            )
                == ChatProfile(gizmoID: "g-Chosen", model: "gpt-4-gizmo")
        )
        #expect(
            self.defaults.resolve(configuredGizmoID: "g-Channel", configuredModel: nil, settings: self.settings(.none))
                == ChatProfile(gizmoID: nil, model: "gpt-4o"),
            "no GPT means the plain model"
        )
        #expect(
            self.defaults.resolve(
                configuredGizmoID: "g-Channel",
                configuredModel: "o1",
                settings: self.settings(.inherit, model: "gpt-4o-mini")
            )
                == ChatProfile(gizmoID: "g-Channel", model: "gpt-4o-mini")
        )
    }

    @Test func conversationKeysSeparatePlacesAndPeople() {
        #expect(ConversationKey.ircChannel(network: "libera", foldedChannel: "#design") == "irc:libera:#design")
        #expect(ConversationKey.ircQuery(network: "libera", foldedNick: "alice") == "irc:libera:query:alice")
        #expect(ConversationKey.webhookThread(endpoint: "/hooks/team", thread: "t1") == "webhook:/hooks/team:t1")
    }
}
