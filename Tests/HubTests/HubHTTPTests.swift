import Hub
import Hummingbird
import HummingbirdTesting
import Logging
import MasterData
import TestSupport
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
