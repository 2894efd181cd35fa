import Formats
import Foundation
import Model
import Testing

/// Every X12 file of the conformance corpus (Tests/Fixtures/corpus/x12, see its README).
@Suite("X12 tokenizer on the corpus")
struct X12CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/corpus/x12")

    static func load(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: corpus.appendingPathComponent(path)))
    }

    static func all(_ path: String) throws -> (sets: [X12TransactionSet], result: X12ReadResult, diagnostics: [Diagnostic]) {
        let (sets, result) = X12Reader.readAll(try load(path))
        return (sets, result, result.envelopeDiagnostics + sets.flatMap(\.diagnostics))
    }

    static var files: [String] {
        let enumerator = FileManager.default.enumerator(atPath: corpus.path)!
        return enumerator.compactMap { $0 as? String }.filter { !$0.hasSuffix("LICENSE") && ($0.hasSuffix(".edi") || $0.hasSuffix(".txt")) }.sorted()
    }

    @Test("dump")
    func dump() throws {
        for file in Self.files {
            let (sets, result, diagnostics) = try Self.all(file)
            print("== \(file): \(result.interchanges.count) interchanges, \(sets.count) sets [\(sets.map(\.type).joined(separator: ","))]")
            for d in diagnostics { print("   \(d.severity) \(d.code) \(d.location ?? "") \(d.message)") }
        }
    }
}
