import Formats
import Foundation
import Model
import TestSupport
import Testing

/// CONTRL acknowledgments: the interchange (UCI), each message (UCM), segments and elements in
/// error (UCS, UCD), only when asked for, never for a CONTRL.
@Suite("EDIFACT acknowledgments (CONTRL)")
struct EdifactContrlTests {
    static let time = Timestamp(rfc3339: "2026-11-20T15:20:00Z")!

    static func acknowledge(_ text: String, options: EdifactAcknowledgmentOptions = EdifactAcknowledgmentOptions()) -> [String] {
        var collector = EdifactAcknowledgmentCollector()
        let result = EdifactReader.read(Array(text.utf8)) { collector.add($0) }
        return collector.acknowledgments(result, time: time) { _ in options }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The sample DESADV, asking for an acknowledgment (UNB 0031 = 1) unless `asking` is false.
    static func sample(asking: Bool = true) throws -> String {
        let text = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        return asking ? text.replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'") : text
    }

    @Test("the sample DESADV asking for one: UCI and UCM acknowledged (7), the envelope turned around")
    func accepted() throws {
        #expect(Self.acknowledge(try Self.sample()) == [
            "UNA:+.? 'UNB+UNOC:3+0614141000012:14+4012345000009:14+261120:1520+NW000481'UNH+1+CONTRL:D:3:UN'"
                + "UCI+NW000481+4012345000009:14+0614141000012:14+7'UCM+1+DESADV:D:96A:UN:EAN005+7'UNT+4+1'UNZ+1+NW000481'"
        ])
    }

    @Test("only when asked (UNB 0031), unless the profile says always; never for none")
    func whenAsked() throws {
        #expect(Self.acknowledge(try Self.sample(asking: false)).isEmpty)
        #expect(Self.acknowledge(try Self.sample(asking: false), options: EdifactAcknowledgmentOptions(policy: .always)).count == 1)
        #expect(Self.acknowledge(try Self.sample(), options: EdifactAcknowledgmentOptions(policy: .none)).isEmpty)
    }

    @Test("UNT miscounts (29) or differs (28): the message rejected (4); UNZ differs: the interchange rejected")
    func envelopeErrors() throws {
        let text = try Self.sample()
        let count = Self.acknowledge(text.replacingOccurrences(of: "UNT+", with: "UNT+9"))[0]
        #expect(count.contains("UCM+1+DESADV:D:96A:UN:EAN005+4+29+UNT+1'"), "\(count)")
        #expect(count.contains("UCI+NW000481+4012345000009:14+0614141000012:14+4'"))
        let reference = Self.acknowledge(text.replacingOccurrences(of: "UNZ+1+NW000481", with: "UNZ+1+NW000482"))[0]
        #expect(reference.contains("UCI+NW000481+4012345000009:14+0614141000012:14+4+28+UNZ+2'"), "\(reference)")
        #expect(reference.contains("UCM+1+DESADV:D:96A:UN:EAN005+7'"))
    }

    @Test("a date that is none in its format: UCS at the segment, UCD 12 at C507 2380")
    func dateError() throws {
        let text = try Self.sample().replacingOccurrences(of: "DTM+17:20261126:102'", with: "DTM+17:20261131:102'")
        let contrl = Self.acknowledge(text)[0]
        #expect(contrl.contains("UCM+1+DESADV:D:96A:UN:EAN005+4'UCS+5'UCD+12+1:2'"), "\(contrl)")
    }

    @Test("a CONTRL coming in is never acknowledged")
    func neverAcknowledgeAnAcknowledgment() throws {
        let contrl = Self.acknowledge(try Self.sample())[0].replacingOccurrences(of: "+NW000481'UNH", with: "+NW000481++++1'UNH")
        #expect(Self.acknowledge(contrl, options: EdifactAcknowledgmentOptions(policy: .always)).isEmpty)
    }

    @Test("every CONTRL written here is read back by Crossdock's reader without a finding")
    func readBack() throws {
        let text = try Self.sample()
        for contrl in [text, text.replacingOccurrences(of: "UNT+", with: "UNT+9")].flatMap({ Self.acknowledge($0) }) {
            let (messages, result) = EdifactReader.readAll(Array(contrl.utf8))
            #expect(result.envelopeDiagnostics.isEmpty, "\(result.envelopeDiagnostics)")
            #expect(messages.map(\.type) == ["CONTRL"])
            #expect(messages.flatMap(\.diagnostics).isEmpty, "\(messages.flatMap(\.diagnostics))")
        }
    }

    @Test("every CONTRL written here is read back by an independent tokenizer (pydifact), element for element", .needsJSONSchema)
    func independentParser() throws {
        let text = try Self.sample()
        let contrls = [text, text.replacingOccurrences(of: "UNT+", with: "UNT+9")].flatMap { Self.acknowledge($0) }
        let parsed = try TestSupport.parseEdifact(contrls.map { Array($0.utf8) })
        #expect(parsed.count == 2)
        for (contrl, result) in zip(contrls, parsed) {
            #expect(result["success"] as? Bool == true, "\(result["errors"] ?? "")")
            let messages = (result["messages"] as? [[String: Any]]) ?? []
            #expect(messages.map { $0["type"] as? String } == ["CONTRL"])
            let segments = (messages.first?["segments"] as? [[Any]]) ?? []
            let uci = segments.first { $0.first as? String == "UCI" }?.last as? [Any]
            #expect(uci?.first as? String == "NW000481")
            // The action Crossdock wrote is the action read back.
            let action = contrl.contains("+NW000481+4012345000009:14+0614141000012:14+4") ? "4" : "7"
            #expect(uci?[3] as? String == action, "\(contrl)")
        }
    }
}
