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
