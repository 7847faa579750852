import Foundation
import Store
import Testing

@Suite struct BridgeStoreChannelSettingsTests {
    @Test(arguments: StoreKind.allCases)
    func noSettingsIsNil(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        #expect(try await store.channelSettings(key: "irc:libera:#general") == nil)
    }

    @Test(arguments: StoreKind.allCases, [GizmoSetting.inherit, .none, .id("g-3w1rEXGE0")])
    func gizmoChoiceRoundTrips(kind: StoreKind, gizmo: GizmoSetting) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        let settings = ChannelSettings(key: "irc:libera:#design", gizmo: gizmo, model: nil, updatedAt: at(5))
        try await store.saveChannelSettings(settings)
        #expect(try await store.channelSettings(key: "irc:libera:#design") == settings)
    }

    @Test(arguments: StoreKind.allCases)
    func savingReplacesEarlierSettings(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveChannelSettings(
            ChannelSettings(key: "k", gizmo: .id("g-1"), model: "gpt-4o", updatedAt: at(0))
        )
        let replaced = ChannelSettings(key: "k", gizmo: .none, model: nil, updatedAt: at(10))
        try await store.saveChannelSettings(replaced)
        #expect(try await store.channelSettings(key: "k") == replaced)
    }

    @Test(arguments: StoreKind.allCases)
    func deleteReturnsToConfiguration(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.saveChannelSettings(ChannelSettings(key: "k", model: "gpt-4o-mini", updatedAt: at(0)))
        try await store.saveChannelSettings(ChannelSettings(key: "other", model: "gpt-4o", updatedAt: at(0)))

        #expect(try await store.deleteChannelSettings(key: "k"))
        #expect(try await store.channelSettings(key: "k") == nil)
        #expect(try await store.channelSettings(key: "other")?.model == "gpt-4o")
        #expect(try await store.deleteChannelSettings(key: "k") == false)
    }
}
