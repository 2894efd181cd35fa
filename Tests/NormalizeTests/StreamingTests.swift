import Foundation
import MasterData
import Model
import Normalize
import Testing
import TestSupport

/// Large X12 interchanges are read twice, the envelopes first and then set by set, so that they
/// are never held as a whole (`Normalizer.streamingThreshold`); the outcomes must not change.
@Suite("X12 read set by set")
struct StreamingTests {
    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        var inputs: [(name: String, bytes: [UInt8])] = []
        let folder = TestSupport.path("Tests/Fixtures/corpus/x12")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        // Every file of the X12 corpus (its licences and notes too: they are rejected alike).
        for case let file as URL in files where !file.hasDirectoryPath {
            inputs.append((file.path.replacingOccurrences(of: folder.path + "/", with: ""), Array(try Data(contentsOf: file))))
        }
        let sets = (1...5).map { X12Builder.body(bsn: "BSN*00*ASN-S\($0)*20261120*0915") }
        let five = String(decoding: X12Builder().interchange(sets), as: UTF8.self)
        inputs.append(("five sets", Array(five.utf8)))
        inputs.append(("five sets, wrong GE count", Array(five.replacingOccurrences(of: "GE*5*101", with: "GE*4*101").utf8)))
        inputs.append(("five sets, one a 810", Array(five.replacingOccurrences(of: "ST*856*0002", with: "ST*810*0002").utf8)))
        inputs.append(("five sets, then data after the interchange", Array((five + "XYZ*1~\n").utf8)))
        inputs.append(("five sets, cut short before IEA", Array(five.replacingOccurrences(of: "IEA*1*000000101~\n", with: "").utf8)))
        inputs.append(("no set", X12Builder().interchange([])))
        return inputs
    }

    static func text(_ outcome: Outcome) -> String { String(decoding: outcome.jsonBytes(), as: UTF8.self) }

    @Test("read set by set or whole: the same outcomes in the same order, for ship notices and carrier status")
    func sameOutcomes() throws {
        let inputs = try Self.inputs()
        var compared = 0
        var events = 0
        var findings: Set<String> = []
        for (name, bytes) in inputs {
            for source in [Source.asn, .carrier] {
                let record = InputRecord(value: bytes, source: .file(name), recordedAt: TestNetwork.recorded)
                var whole = Normalizer(snapshot: TestNetwork.corpus)
                whole.streamingThreshold = .max
                var streamed = Normalizer(snapshot: TestNetwork.corpus)
                streamed.streamingThreshold = 0
                let expected = whole.normalize(record, source: source)
                var emitted: [Outcome] = []
                streamed.normalize(record, source: source) { emitted.append($0) }
                #expect(emitted.map(Self.text) == expected.map(Self.text), "\(name) as \(source)")
                compared += expected.count
                events += expected.filter { !$0.isRejection }.count
                for text in expected.map(Self.text) {
                    for finding in ["GE01 says", "has no IEA", "after the last interchange", "is not a ship notice"] where text.contains(finding) {
                        findings.insert(finding)
                    }
                }
            }
        }
        // Not vacuous: events, and each kind of finding that is known only after the sets.
        #expect(inputs.count > 20)
        #expect(events >= 5, "\(events) events among \(compared) outcomes")
        #expect(findings.count == 4, "findings seen: \(findings.sorted())")
    }
}
