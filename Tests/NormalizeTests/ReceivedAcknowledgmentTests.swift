import Formats
import Foundation
import Model
import Normalize
import TestSupport
import Testing

/// Acknowledgments partners send us are recognised (and the hub records them), not read as
/// documents Crossdock does not know.
@Suite("Acknowledgments received")
struct ReceivedAcknowledgmentTests {
    static let time = Timestamp(rfc3339: "2026-11-20T15:20:00Z")!

    /// What `input` gets back, turned around as if its partner had sent it to us.
    static func returned(_ sample: String, swapping pairs: [(String, String)]) throws -> [UInt8] {
        var text = String(decoding: try TestSupport.bytes("examples/samples/\(sample)"), as: UTF8.self)
        text = text.replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'")
        let written = try Acknowledgments.make(Array(text.utf8), snapshot: TestNetwork.reference, time: time).get()
        var back = String(decoding: written[0].bytes, as: UTF8.self)
        for (ours, theirs) in pairs {
            back = back.replacingOccurrences(of: ours, with: "\u{0}").replacingOccurrences(of: theirs, with: ours)
                .replacingOccurrences(of: "\u{0}", with: theirs)
        }
        return Array(back.utf8)
    }

    @Test("a 997, a CONTRL and a TA1 from known partners: format, status, what they acknowledge, who sent them")
    func recognised() throws {
        let x12 = try Self.returned("acme-856.x12", swapping: [("ZZ*CROSSDOCK      ", "ZZ*ACMEIND        "), ("FA*CROSSDOCK*ACMEIND", "FA*ACMEIND*CROSSDOCK")])
        let received = try #require(Acknowledgments.received(x12))
        #expect([received.format, received.status] == ["x12-997", "accepted"])
        #expect(received.acknowledges == ["77"])
        #expect(received.partner(in: TestNetwork.reference) == "ACME-INDUSTRIAL")

        let contrl = try Self.returned("nordwerk-desadv.edi", swapping: [("0614141000012:14", "4012345000009:14")])
        let edifact = try #require(Acknowledgments.received(contrl))
        #expect([edifact.format, edifact.status] == ["edifact-contrl", "accepted"])
        #expect(edifact.partner(in: TestNetwork.reference) == "NORDWERK")

        let ta1 = "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*1520*U*00401*000000091*0*P*>~"
            + "TA1*000000077*261120*0915*R*023~IEA*0*000000091~"
        let interchange = try #require(Acknowledgments.received(Array(ta1.utf8)))
        #expect([interchange.format, interchange.status] == ["x12-ta1", "rejected"])
    }

    @Test("an interchange that holds anything but acknowledgments is no acknowledgment")
    func documents() throws {
        #expect(Acknowledgments.received(try TestSupport.bytes("examples/samples/acme-856.x12")) == nil)
        #expect(Acknowledgments.received(try TestSupport.bytes("examples/samples/nordwerk-desadv.edi")) == nil)
        #expect(Acknowledgments.received(try TestSupport.bytes("examples/samples/dc-atl-receive.json")) == nil)
        let x12 = try Self.returned("acme-856.x12", swapping: [])
        let mixed = String(decoding: x12, as: UTF8.self).replacingOccurrences(
            of: "GE*1*77~", with: "GE*1*77~GS*SH*ACMEIND*CROSSDOCK*20261120*0915*78*X*004010~ST*856*0001~BSN*00*A1*20261120*0915~SE*3*0001~GE*1*78~")
        #expect(Acknowledgments.received(Array(mixed.utf8)) == nil)
    }
}

/// Whatever a partner sends, the acknowledgment Crossdock answers with is valid EDI.
@Suite("Acknowledgments of hostile inputs")
struct HostileAcknowledgmentTests {
    @Test(
        "every 997, TA1 and CONTRL written for 1,200 seeded mutants of the samples is read back by the independent parsers and by Crossdock",
        .needsJSONSchema)
    func mutants() throws {
        let time = Timestamp(rfc3339: "2026-11-20T15:20:00Z")!
        var random = SplitMix(seed: 32)
        var x12: [[UInt8]] = []
        var edifact: [[UInt8]] = []
        let samples = ["acme-856.x12", "odfl-214.x12", "nordwerk-desadv.edi", "dhl-iftsta.edi"]
        for name in samples {
            var text = String(decoding: try TestSupport.bytes("examples/samples/\(name)"), as: UTF8.self)
            // The EDIFACT samples ask for a CONTRL, so that they get one.
            text = text.replacingOccurrences(of: "+NW000481'", with: "+NW000481++++1'").replacingOccurrences(of: "+DH00021'", with: "+DH00021++++1'")
            let seed = Array(text.utf8)
            for round in 0..<300 {
                let mutant = round % 2 == 0 ? FuzzTests.mutate(seed, &random, other: seed) : FuzzTests.mutateValues(seed, &random)
                guard case .success(let written) = Acknowledgments.make(mutant, snapshot: TestNetwork.reference, time: time) else { continue }
                for acknowledgment in written {
                    if acknowledgment.contentType == "application/edi-x12" { x12.append(acknowledgment.bytes) } else { edifact.append(acknowledgment.bytes) }
                }
            }
        }
        #expect(x12.count > 100 && edifact.count > 100, "\(x12.count) X12, \(edifact.count) EDIFACT acknowledgments")
        for (index, result) in try TestSupport.parseX12(x12).enumerated() where result["success"] as? Bool != true {
            Issue.record("997/TA1 not read back: \(result["errors"] ?? "") in \(String(decoding: x12[index], as: UTF8.self))")
        }
        for (index, result) in try TestSupport.parseEdifact(edifact).enumerated() where result["success"] as? Bool != true {
            Issue.record("CONTRL not read back: \(result["errors"] ?? "") in \(String(decoding: edifact[index], as: UTF8.self))")
        }
        for bytes in x12 {
            let (_, result) = X12Reader.readAll(bytes)
            #expect(result.envelopeDiagnostics.isEmpty, "\(result.envelopeDiagnostics) in \(String(decoding: bytes, as: UTF8.self))")
        }
        for bytes in edifact {
            let (messages, result) = EdifactReader.readAll(bytes)
            #expect(result.envelopeDiagnostics.isEmpty && messages.flatMap(\.diagnostics).isEmpty, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
