import Foundation
import Model
import TestSupport
import Testing

/// Runs the real JSON Schema validator (Python's `jsonschema`, installed by scripts/setup) over the
/// schemas and over every canonical record these tests produce.
@Suite("JSON Schemas")
struct SchemaValidationTests {
    static let root = TestSupport.root

    static func validate(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestSupport.validateSchemas(arguments)
    }

    static var schemas: String { root.appendingPathComponent("Schemas").path }

    @Test("every schema is a valid draft 2020-12 schema, every reference resolves, AsyncAPI names every topic")
    func schemasAreValid() throws {
        let result = try Self.validate(["check", Self.schemas])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("every sample event validates against its schema")
    func samplesValidate() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-samples-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let lines = CanonicalEventTests.samples.map(\.1).map { $0 + [0x0A] }.joined()
        try Data(lines).write(to: file)
        let result = try Self.validate(["events", Self.schemas, file.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("events: 4 valid, 0 invalid"), "\(result.output)")
    }

    @Test("the validator is not a rubber stamp: a broken event fails")
    func brokenEventFails() throws {
        var text = String(decoding: SampleEvents.shipmentNotice.jsonBytes(), as: UTF8.self)
        text = text.replacingOccurrences(of: #""value":12.5"#, with: #""value":"12.5""#)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-broken-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(text.utf8).write(to: file)
        let result = try Self.validate(["events", Self.schemas, file.path])
        #expect(result.status != 0)
        #expect(result.output.contains("0 valid, 1 invalid"), "\(result.output)")
    }

    @Test("the sample scanner messages validate against the scan input schema")
    func scanInputs() throws {
        let samples = Self.root.appendingPathComponent("examples/samples")
        let result = try Self.validate([
            "input", "scan", Self.schemas, samples.appendingPathComponent("dc-atl-receive.json").path,
            samples.appendingPathComponent("dc-atl-putaway-unknown-bin.json").path,
        ])
        #expect(result.status == 0, "\(result.output)")
    }
}
