import CAllocator
import Hub
import Hummingbird
import HummingbirdTesting
import Logging
import MasterData
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Hub HTTP endpoint")
struct HubHTTPTests {
    @Test("healthz answers; readyz is 503 until partitions are assigned; metrics speak Prometheus")
    func endpoints() async throws {
        let hub = HubService(configuration: HubConfiguration(), masterData: HubIntegrationTests.network, logger: Logger(label: "test"))
        let app = Application(router: HubHTTP.router(hub))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""ready":false"#))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("# TYPE crossdock_in_flight_records gauge"))
            }
        }
    }
}

@Suite("Allocator figures")
struct AllocatorTests {
    @Test("the heap in use grows by what is allocated and shrinks when it is freed")
    func heapInUse() throws {
        #if canImport(Glibc)
        let before = crossdock_heap_in_use()
        let size = 8 << 20
        let block = try #require(malloc(size))
        memset(block, 1, size)
        let during = crossdock_heap_in_use()
        free(block)
        let after = crossdock_heap_in_use()
        // Other threads of the test process allocate and free meanwhile: allow them 1 MB.
        let slack = 1 << 20
        #expect(during + slack >= before + size, "\(before) → \(during) bytes after allocating \(size)")
        #expect(after + size <= during + slack, "\(during) → \(after) bytes after freeing \(size)")
        #endif
    }
}
