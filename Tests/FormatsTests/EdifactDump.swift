import Formats
import Foundation
import Model
import Testing

@Test("edifact dump") func edifactDump() throws {
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/corpus/edifact")
    let files = FileManager.default.enumerator(atPath: corpus.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".edi") }.sorted()
    for file in files {
        let (messages, result) = EdifactReader.readAll(Array(try Data(contentsOf: corpus.appendingPathComponent(file))))
        print("== \(file): \(result.interchanges.count) interchanges, \(messages.map { "\($0.type) \($0.segments.count)" })")
        for d in result.envelopeDiagnostics + messages.flatMap(\.diagnostics) { print("   \(d.severity) \(d.code) \(d.location ?? "") \(d.message)") }
    }
}
