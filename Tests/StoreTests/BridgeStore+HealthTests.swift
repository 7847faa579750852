import Store
import Testing

@Suite struct BridgeStoreHealthTests {
    @Test(arguments: StoreKind.allCases)
    func writableStorePassesTheProbeRepeatedly(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.tearDown() }
        let store = fixture.store
        try await store.checkWritable()
        try await store.checkWritable()
    }
}
