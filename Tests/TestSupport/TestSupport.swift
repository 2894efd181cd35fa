public import Foundation

/// Paths and tools the test targets share.
public enum TestSupport {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> [UInt8] { Array(try Data(contentsOf: path(relative))) }

    public struct ToolError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The built `crossdock` executable: `CROSSDOCK_EXECUTABLE` when set (for example a release
    /// build, or a wrapper that runs it under a debugger), else the one next to the test bundle
    /// (SwiftPM builds both into the same folder), else .build/debug.
    public static func crossdockExecutable() throws -> URL {
        if let given = ProcessInfo.processInfo.environment["CROSSDOCK_EXECUTABLE"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("crossdock")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        let fallback = path(".build/debug/crossdock")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw ToolError(description: "crossdock is not built: run the tests with swift test or scripts/test")
        }
        return fallback
    }

    /// Runs Tests/schema/validate.py (the real JSON Schema validator, Python `jsonschema`) with
    /// the given arguments. Fails when CROSSDOCK_PYTHON is not set: scripts/test sets it.
    public static func validateSchemas(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let python = ProcessInfo.processInfo.environment["CROSSDOCK_PYTHON"] else {
            throw ToolError(description: "CROSSDOCK_PYTHON is not set: run the tests with scripts/test, which installs jsonschema")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [path("Tests/schema/validate.py").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Validates canonical records (JSON lines) against Schemas/cloudevent.json.
    public static func validateEvents(_ lines: [[UInt8]]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-events-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(lines.map { $0 + [0x0A] }.joined()).write(to: file)
        return try validateSchemas(["events", path("Schemas").path, file.path])
    }
}
