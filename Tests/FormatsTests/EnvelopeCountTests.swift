import Formats
import Foundation
import Model
import Testing
import TestSupport

/// Envelope trailer counts must be counts, and an interchange ends only at its trailer.
@Suite("Envelope counts and boundaries")
struct EnvelopeCountTests {
    static let x12 = try! String(decoding: TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
    static let edifact = try! String(decoding: TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)

    static func x12Findings(_ text: String) -> [Diagnostic] {
        let (sets, result) = X12Reader.readAll(Array(text.utf8))
        return result.envelopeDiagnostics + sets.flatMap(\.diagnostics)
    }

    static func edifactFindings(_ text: String) -> [Diagnostic] {
        let (messages, result) = EdifactReader.readAll(Array(text.utf8))
        return result.envelopeDiagnostics + messages.flatMap(\.diagnostics)
    }

    @Test("the samples' counts are read as counts")
    func clean() {
        #expect(Self.x12Findings(Self.x12).filter { $0.severity == .error } == [])
        #expect(Self.edifactFindings(Self.edifact).filter { $0.severity == .error } == [])
    }

    @Test("an X12 trailer count that is not a number of its length is an X12_ENVELOPE error at its element",
          arguments: ["ABC", "1.0", "+1", "12345678901234567890123"])
    func x12Counts(_ bad: String) {
        for (from, to, location) in [
            ("IEA*1*", "IEA*\(bad)*", "IEA / element 01"), ("GE*1*", "GE*\(bad)*", "GE / element 01"), ("SE*22*", "SE*\(bad)*", "element 01"),
        ] {
            let findings = Self.x12Findings(Self.x12.replacingOccurrences(of: from, with: to))
            #expect(
                findings.contains { $0.code == .x12Envelope && $0.message.contains("is not a count") && $0.location?.hasSuffix(location) == true },
                "\(to): \(findings)")
        }
    }

    @Test("an EDIFACT trailer count that is not a number of its length is an EDIFACT_ENVELOPE error",
          arguments: ["ABC", "1.0", "12345678901234567890123"])
    func edifactCounts(_ bad: String) {
        for (from, to) in [("UNT+25+", "UNT+\(bad)+"), ("UNZ+1+", "UNZ+\(bad)+")] {
            let findings = Self.edifactFindings(Self.edifact.replacingOccurrences(of: from, with: to))
            #expect(findings.contains { $0.code == .edifactEnvelope && $0.message.contains("is not a count") }, "\(to): \(findings)")
        }
    }

    @Test("an ISA before the previous IEA begins a new interchange; the first is reported cut short")
    func isaBeforeIEA() {
        let withoutTrailer = Self.x12.replacingOccurrences(of: "IEA*1*000000077~", with: "")
        let second = Self.x12.replacingOccurrences(of: "000000077", with: "000000078")
        let (sets, result) = X12Reader.readAll(Array((withoutTrailer + second).utf8))
        #expect(result.interchanges.map(\.header.controlNumber) == ["000000077", "000000078"])
        #expect(sets.count == 2)
        let first = result.interchanges[0].diagnostics
        #expect(first.contains { $0.code == .x12Envelope && $0.message.contains("begins before this one's IEA") }, "\(first)")
        #expect(result.interchanges[1].diagnostics.filter { $0.severity == .error } == [])
    }

    @Test("two sets of one group with one ST02 are an X12_ENVELOPE error")
    func duplicateControlNumbers() throws {
        let start = try #require(Self.x12.range(of: "ST*856*0001"))
        let end = try #require(Self.x12.range(of: "GE*1*"))
        let set = String(Self.x12[start.lowerBound..<end.lowerBound])
        let twice = Self.x12.replacingOccurrences(of: set, with: set + set).replacingOccurrences(of: "GE*1*", with: "GE*2*")
        let findings = Self.x12Findings(twice)
        #expect(findings.contains { $0.code == .x12Envelope && $0.message.contains("ST02 0001 is used by more than one") }, "\(findings)")
    }
}
