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
        // Every file of the X12 corpus (its licences and notes too: they are rejected alike).
        var inputs = try Self.files(under: "Tests/Fixtures/corpus/x12")
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

    /// Every file under `folder` (relative to the package), named by its path below it.
    static func files(under folder: String) throws -> [(name: String, bytes: [UInt8])] {
        let root = TestSupport.path(folder)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        var found: [(name: String, bytes: [UInt8])] = []
        for case let file as URL in files where !file.hasDirectoryPath {
            found.append((file.path.replacingOccurrences(of: root.path + "/", with: ""), Array(try Data(contentsOf: file))))
        }
        return found
    }

    static func text(_ outcome: Outcome) -> String { String(decoding: outcome.jsonBytes(), as: UTF8.self) }

    /// The outcomes of an input read whole, and those emitted when it is read in parts.
    static func bothWays(_ name: String, _ bytes: [UInt8], _ source: Source) -> (whole: [Outcome], streamed: [Outcome]) {
        let record = InputRecord(value: bytes, source: .file(name), recordedAt: TestNetwork.recorded)
        var whole = Normalizer(snapshot: TestNetwork.corpus)
        whole.streamingThreshold = .max
        var streamed = Normalizer(snapshot: TestNetwork.corpus)
        streamed.streamingThreshold = 0
        var emitted: [Outcome] = []
        streamed.normalize(record, source: source) { emitted.append($0) }
        return (whole.normalize(record, source: source), emitted)
    }

    /// Reads each input whole and in parts as a ship notice and as carrier status, expecting the
    /// same outcomes; what was compared, the events among them, and which of `known` findings the
    /// outcomes held.
    static func compareBothWays(_ inputs: [(name: String, bytes: [UInt8])], known: [String])
        -> (compared: Int, events: Int, findings: Set<String>)
    {
        var compared = 0
        var events = 0
        var findings: Set<String> = []
        for (name, bytes) in inputs {
            for source in [Source.asn, .carrier] {
                let (expected, emitted) = bothWays(name, bytes, source)
                #expect(emitted.map(text) == expected.map(text), "\(name) as \(source)")
                compared += expected.count
                events += expected.filter { !$0.isRejection }.count
                for written in expected.map(text) {
                    for finding in known where written.contains(finding) { findings.insert(finding) }
                }
            }
        }
        return (compared, events, findings)
    }

    @Test("read set by set or whole: the same outcomes in the same order, for ship notices and carrier status")
    func sameOutcomes() throws {
        let inputs = try Self.inputs()
        let (compared, events, findings) = Self.compareBothWays(
            inputs, known: ["GE01 says", "has no IEA", "after the last interchange", "is not a ship notice"])
        // Not vacuous: events, and each kind of finding that is known only after the sets.
        #expect(inputs.count > 20)
        #expect(events >= 5, "\(events) events among \(compared) outcomes")
        #expect(findings.count == 4, "findings seen: \(findings.sorted())")
    }
}

/// Large EDIFACT interchanges likewise: the envelopes first, then message by message, each
/// message's segments tokenized when it is reached.
@Suite("EDIFACT read message by message")
struct EdifactStreamingTests {
    /// The sample DESADV's interchange with `count` messages (references and BGM numbers 1, 2, ...)
    /// and what `change` makes of its text.
    static func interchange(_ sample: String, messages count: Int, _ change: (String) -> String = { $0 }) -> [UInt8] {
        let unh = sample.range(of: "UNH+")!.lowerBound
        let unz = sample.range(of: "UNZ+")!.lowerBound
        let message = String(sample[unh..<unz])
        let body = (1...count).map { number in
            message.replacingOccurrences(of: "UNH+1+", with: "UNH+\(number)+").replacingOccurrences(of: "+1'\nUNZ", with: "")
                .replacingOccurrences(of: "BGM+351+", with: "BGM+351+\(number)-")
                .replacingOccurrences(of: #"(UNT\+\d+)\+1'"#, with: "$1+\(number)'", options: .regularExpression)
        }.joined()
        let trailer = sample[unz...].replacingOccurrences(of: "UNZ+1+", with: "UNZ+\(count)+")
        return Array(change(String(sample[..<unh]) + body + trailer).utf8)
    }

    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        var inputs = try StreamingTests.files(under: "Tests/Fixtures/corpus/edifact")
        for sample in ["nordwerk-desadv.edi", "dhl-iftsta.edi"] {
            inputs.append((sample, try TestSupport.bytes("examples/samples/" + sample)))
        }
        let desadv = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        inputs.append(("three messages", Self.interchange(desadv, messages: 3)))
        inputs.append(("three messages, wrong UNZ count", Self.interchange(desadv, messages: 3) { $0.replacingOccurrences(of: "UNZ+3+", with: "UNZ+2+") }))
        inputs.append(("three messages, one an ORDERS", Self.interchange(desadv, messages: 3) { $0.replacingOccurrences(of: "UNH+2+DESADV", with: "UNH+2+ORDERS") }))
        inputs.append(("three messages, cut short before UNZ", Self.interchange(desadv, messages: 3) { String($0[..<$0.range(of: "UNZ+")!.lowerBound]) }))
        inputs.append(("three messages, the second without UNT", Self.interchange(desadv, messages: 3) {
            $0.replacingOccurrences(of: #"UNT\+\d+\+2'\n"#, with: "", options: .regularExpression)
        }))
        return inputs
    }

    @Test("read message by message or whole: the same outcomes in the same order, for despatch advices and status reports")
    func sameOutcomes() throws {
        let (_, events, findings) = StreamingTests.compareBothWays(
            try Self.inputs(), known: ["UNZ says", "has no UNZ", "is not a despatch advice", "has no UNT"])
        // Not vacuous: events, and each kind of finding that is known only after the messages.
        #expect(events >= 5, "\(events) events")
        #expect(findings.count == 4, "findings seen: \(findings.sorted())")
    }
}
