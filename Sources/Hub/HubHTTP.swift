public import Hummingbird
import HummingbirdCore
import Foundation

/// The hub's HTTP endpoint: `/healthz` (the process runs), `/readyz` (broker reachable, master
/// data loaded, partitions assigned) and `/metrics` (Prometheus text).
public enum HubHTTP {
    public static func router(_ hub: HubService) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let readiness = hub.readiness
            let body = """
                {"ready":\(readiness.isReady),"brokerReachable":\(readiness.brokerReachable),\
                "masterDataLoaded":\(readiness.masterDataLoaded),"joinedGroup":\(readiness.joinedGroup),\
                "partitionsAssigned":\(readiness.partitionsAssigned)}

                """
            return Response(
                status: readiness.isReady ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: hub.metrics.render())))
        }
        return router
    }

    /// Seconds a connection may stay without a complete request before it is closed.
    public static let idleTimeoutSeconds = 10
    /// Connections served at once; more wait to be accepted.
    public static let maximumConnections = 128

    /// The application on `address` (`host:port`).
    public static func application(_ hub: HubService, address: String) throws -> some ApplicationProtocol {
        let parts = address.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw HubConfiguration.ConfigurationError(description: "--http '\(address)' must be host:port")
        }
        // A probe or a scrape is one small request: a connection that sends no complete request
        // within the idle timeout is closed, and connections beyond the limit wait in the backlog,
        // so half-open connections cannot pile up.
        return Application(
            router: router(hub), server: .http1(configuration: .init(idleTimeout: .seconds(Int64(idleTimeoutSeconds)))),
            configuration: .init(
                address: .hostname(String(parts[0]), port: port), serverName: "crossdock",
                availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections)))
    }
}
