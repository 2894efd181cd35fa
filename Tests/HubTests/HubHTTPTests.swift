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
    @Test("healthz answers; readyz is 503 until the member joined its group; metrics speak Prometheus")
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

@Suite("Hub HTTP endpoint under abuse")
struct HubHTTPAbuseTests {
    /// A TCP connection to 127.0.0.1:`port` that sends `bytes` and never finishes its request.
    static func halfOpen(port: Int, sending bytes: String) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        _ = bytes.withCString { send(fd, $0, strlen($0), 0) }
        return fd
    }

    @Test("a connection that never completes its request is closed after the idle timeout")
    func halfOpenConnections() async throws {
        let hub = HubService(configuration: HubConfiguration(), masterData: HubIntegrationTests.network, logger: Logger(label: "test"))
        let port = 20_000 + Int.random(in: 0..<20_000)
        let app = try HubHTTP.application(hub, address: "127.0.0.1:\(port)")
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var fds: [Int32] = []
        for attempt in 0..<50 {
            if let fd = Self.halfOpen(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: x\r\n") {
                fds.append(fd)
                if fds.count == 20 { break }
            } else {
                try await Task.sleep(for: .milliseconds(100 * (attempt < 20 ? 1 : 5)))
            }
        }
        try #require(fds.count == 20, "could not connect to the endpoint")
        try await Task.sleep(for: .seconds(HubHTTP.idleTimeoutSeconds + 3))
        // The server closed them: a read returns end of stream (0), not "would block".
        var closed = 0
        for fd in fds {
            var buffer = [UInt8](repeating: 0, count: 256)
            let read = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if read == 0 || (read > 0 && String(decoding: buffer[..<read], as: UTF8.self).contains("408")) { closed += 1 }
            close(fd)
        }
        #expect(closed == fds.count)
    }
}

@Suite("Allocator figures")
struct AllocatorTests {
    @Test("the heap in use grows by what is allocated and shrinks when it is freed")
    func heapInUse() throws {
        #if canImport(Glibc)
        // Other threads of the test process allocate and free meanwhile (some tests build tens of
        // megabytes): allow them 1 MB, and take the first of ten tries they leave alone.
        let size = 8 << 20
        let slack = 1 << 20
        var seen: [(before: Int, during: Int, after: Int)] = []
        for _ in 0..<10 {
            let before = crossdock_heap_in_use()
            let block = try #require(malloc(size))
            memset(block, 1, size)
            let during = crossdock_heap_in_use()
            free(block)
            let after = crossdock_heap_in_use()
            seen.append((before, during, after))
            if during + slack >= before + size, after + size <= during + slack { return }
        }
        Issue.record("the heap in use did not follow an allocation of \(size) bytes in ten tries: \(seen)")
        #endif
    }
}
