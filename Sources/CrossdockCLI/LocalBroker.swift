import Foundation

/// The in-memory development broker (Tansu) as a child process on loopback: what `crossdock demo`
/// starts when no brokers are given, and what the fault tests stop, kill and start again. It keeps
/// everything in memory, so a start after a stop or a kill is an empty broker.
package final class LocalBroker {
    package let binary: String
    package let port: Int
    private var process: Process?
    package var address: String { "127.0.0.1:\(port)" }

    package init(binary: String, port: Int) {
        self.binary = binary
        self.port = port
    }

    /// Starts the broker and waits until it accepts connections; false when it did not within
    /// `timeout` (it is then stopped again).
    package func start(timeout: Duration = .seconds(10)) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let listener = "tcp://\(address)"
        process.arguments = ["broker", "--listener-url", listener, "--advertised-listener-url", listener, "--storage-engine", "memory://tansu/"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while !Self.isOpen(port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                return false
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return true
    }

    /// Sends a signal to the broker (SIGSTOP and SIGCONT for an outage).
    package func signal(_ number: Int32) {
        if let process, process.isRunning { kill(process.processIdentifier, number) }
    }

    /// SIGTERM, then SIGKILL if it lingers; waits until it is gone.
    package func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)  // a stopped process would not see the SIGTERM
        process.terminate()
        for _ in 0..<30 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// kill -9, and waits until it is gone.
    package func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Whether something accepts TCP connections on this loopback port.
    package static func isOpen(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
