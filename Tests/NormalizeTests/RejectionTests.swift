import Formats
import Foundation
import MasterData
import Model
import Normalize
import TestSupport
import Testing

/// One minimal input per rejection code, against the reference network.
@Suite("Ship-notice rejections")
struct RejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var code: DiagnosticCode
        var stage: RejectionStage
        var location: String?
        var testDescription: String { name }
    }

    static let x12 = X12Builder()
    static func item(_ lin: String, _ sn1: String) -> [String] { X12Builder.body(levels: ["HL*3*2*I", lin, sn1]) }

    static let cases: [Case] = [
        Case(
            name: "unknown sender", input: X12Builder(sender: "NOBODY").interchange([X12Builder.body()]), code: .partnerUnknown,
            stage: .map, location: "ST 0001"),
        Case(
            name: "ship-to GLN that is no site", input: x12.interchange([X12Builder.body(shipTo: "N1*ST*X*UL*0614141000098")]),
            code: .glnUnknown, stage: .validate, location: "ST 0001 / segment 4 N1"),
        Case(
            name: "GTIN with a wrong check digit", input: x12.interchange([item("LIN*1*UK*00614141000028", "SN1**2*CA")]),
            code: .checkDigit, stage: .validate, location: "ST 0001 / segment 8 LIN / element 03"),
        Case(
            name: "SSCC with a wrong check digit",
            input: x12.interchange([
                X12Builder.body(levels: ["HL*3*2*P", "MAN*GM*006141410000000013", "HL*4*3*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
            ]), code: .checkDigit, stage: .validate, location: "ST 0001 / segment 8 MAN / element 02"),
        Case(
            name: "unknown unit", input: x12.interchange([item("LIN*1*UK*00614141000029", "SN1**2*ZZ")]), code: .uomUnknown,
            stage: .map, location: "ST 0001 / segment 9 SN1 / element 03"),
        Case(
            name: "unit with no path to the base unit", input: x12.interchange([item("LIN*1*UK*00614141000029", "SN1**2*KG")]),
            code: .uomNotConvertible, stage: .validate, location: "ST 0001 / segment 9 SN1 / element 03"),
        Case(
            name: "fractional base quantity", input: x12.interchange([item("LIN*1*UK*00614141000029", "SN1**0.01*CA")]),
            code: .uomFractionalBase, stage: .validate, location: "ST 0001 / segment 9 SN1 / element 03"),
        Case(
            name: "zero quantity", input: x12.interchange([item("LIN*1*UK*00614141000029", "SN1**0*CA")]), code: .quantityInvalid,
            stage: .validate, location: "ST 0001 / segment 9 SN1 / element 02"),
        Case(
            name: "quantity that is not a number", input: x12.interchange([item("LIN*1*UK*00614141000029", "SN1**two*CA")]),
            code: .quantityInvalid, stage: .parse, location: "ST 0001 / segment 9 SN1 / element 02"),
        Case(
            name: "item not in master data", input: x12.interchange([item("LIN*1*UK*00614141000906", "SN1**2*CA")]),
            code: .itemUnknown, stage: .validate, location: "ST 0001 / segment 8 LIN"),
        Case(
            name: "purpose code nobody knows", input: x12.interchange([X12Builder.body(bsn: "BSN*99*ASN-T1*20261120*0915")]),
            code: .codeUnmapped, stage: .parse, location: "ST 0001 / segment 2 BSN / element 01"),
        Case(name: "no ISA", input: Array("GS*SH*ACMEIND*X~ST*856*0001~".utf8), code: .x12Syntax, stage: .decode, location: "byte 0"),
        Case(
            name: "SE01 that does not count the segments",
            input: Array(
                String(decoding: x12.interchange([X12Builder.body()]), as: UTF8.self).replacingOccurrences(of: "SE*10*0001", with: "SE*11*0001").utf8),
            code: .x12Envelope, stage: .parse, location: "ST 0001 / segment 10 SE / element 01"),
        Case(
            name: "interchange cut short",
            input: Array(String(decoding: x12.interchange([X12Builder.body()]), as: UTF8.self).components(separatedBy: "GE*").first!.utf8),
            // Cut short is a syntax fault, not a miscount: a profile lowering X12_ENVELOPE does not let it through.
            code: .x12Syntax, stage: .parse, location: nil),
        Case(
            name: "DESADV whose UNT miscounts",
            input: Array(
                (try! String(contentsOf: TestSupport.path("examples/samples/nordwerk-desadv.edi"), encoding: .utf8))
                    .replacingOccurrences(of: "UNT+25+1", with: "UNT+24+1").utf8),
            code: .edifactEnvelope, stage: .parse, location: "UNH 1 / segment 25 UNT / element 01"),
        Case(
            name: "EDIFACT segment tag that is not one", input: Array("UNB+UNOC:3+4012345000009:14+X:14+261121:0815+1'UNH+1+DESADV:D:96A:UN'BGM+351+A+9'bad-tag+1'UNT+4+1'UNZ+1+1'".utf8),
            code: .edifactSyntax, stage: .parse, location: "byte 81"),
        Case(
            name: "BSN date that does not exist", input: x12.interchange([X12Builder.body(bsn: "BSN*00*ASN-1*20261332*0915")]),
            code: .dateInvalid, stage: .parse, location: "ST 0001 / segment 2 BSN / element 03"),
        Case(
            name: "BSN time that does not exist", input: x12.interchange([X12Builder.body(bsn: "BSN*00*ASN-1*20261120*2561")]),
            code: .dateInvalid, stage: .parse, location: "ST 0001 / segment 2 BSN / element 04"),
        Case(name: "a record without a value", input: [], code: .messageEmpty, stage: .decode, location: "byte 0"),
        Case(name: "JSON that does not parse", input: Array(#"{"asnNumber": "A1",}"#.utf8), code: .jsonInvalid, stage: .parse, location: "byte 19"),
        Case(
            name: "JSON ASN without its ship-to and with a typo",
            input: Array(#"{"asnNumber": "A1", "supplier": "BRIGHTLITE", "handlingUnits": [{"sscc": "006141410000100019", "lnes": []}]}"#.utf8),
            code: .jsonInvalid, stage: .parse, location: "/"),
    ]

    @Test("each problem rejects with its code, stage and location, keeping the original bytes", arguments: cases)
    func rejects(_ c: Case) throws {
        let outcomes = TestNetwork.normalize(c.input)
        try #require(outcomes.count == 1, "\(outcomes)")
        let rejection = try #require(outcomes[0].rejection, "accepted: \(outcomes[0])")
        #expect(rejection.code == c.code, "\(rejection.diagnostics)")
        #expect(rejection.stage == c.stage)
        let first = try #require(rejection.diagnostics.first { $0.severity == .error })
        if let location = c.location { #expect(first.location == location, "\(first)") }
        #expect(rejection.original.bytes == c.input)
        #expect(rejection.key?.bytes == Array("key-1".utf8))
    }

    @Test("a partner profile can lower an envelope error to a warning")
    func severityOverride() throws {
        let bad = Array(
            String(decoding: X12Builder(sender: "4405197800").interchange([X12Builder.body()]), as: UTF8.self)
                .replacingOccurrences(of: "SE*10*0001", with: "SE*11*0001").utf8)
        // GOZER-SUPPLIER lowers X12_ENVELOPE (see Fixtures/corpus-partners).
        let outcomes = TestNetwork.normalize(bad, snapshot: TestNetwork.corpus)
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        // The gozer file's times carry no zone and its profile gives none: the event time is said to
        // be the recorded time.
        #expect(notice.warnings.map(\.code) == [.x12Envelope, .timeFromRecorded])
        // ACME does not: the same problem rejects.
        let strict = Array(String(decoding: bad, as: UTF8.self).replacingOccurrences(of: "4405197800", with: "ACMEIND").utf8)
        #expect(TestNetwork.normalize(strict).first?.rejection?.code == .x12Envelope)
    }

    @Test("every problem of a notice is listed, not only the first")
    func allProblems() throws {
        let outcomes = TestNetwork.normalize(
            X12Builder().interchange([
                X12Builder.body(
                    shipTo: "N1*ST*X*UL*0614141000098",
                    levels: ["HL*3*2*I", "LIN*1*UK*00614141000028", "SN1**2*ZZ", "HL*4*2*I", "LIN*2*UK*00614141000029", "SN1**0*CA"])
            ]))
        let codes = try #require(outcomes.first?.rejection).diagnostics.map(\.code)
        #expect(Set(codes) == [.glnUnknown, .checkDigit, .itemUnknown, .uomUnknown, .quantityInvalid], "\(codes)")
    }

    @Test("a record over the size limit is rejected before parsing")
    func tooLarge() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/acme-856.x12"), limit: 100)
        #expect(outcomes.first?.rejection?.code == .messageTooLarge)
        #expect(outcomes.first?.rejection?.stage == .decode)
    }

    @Test("JSON ship notices: an empty tracking number or serial is refused; a ship-to inside a site names the site, said so")
    func identifiersAsSent() throws {
        let json = try String(contentsOf: TestSupport.path("examples/samples/brightlite-asn.json"), encoding: .utf8)
        let emptyTracking = json.replacingOccurrences(of: #"["1Z999AA10123456784"]"#, with: #"["1Z999AA10123456784", ""]"#)
        let rejection = TestNetwork.normalize(Array(emptyTracking.utf8)).first?.rejection
        #expect(rejection?.code == .jsonInvalid && rejection?.diagnostics.first?.location == "/carrier/trackingNumbers/1", "\(String(describing: rejection))")
        let bin = json.replacingOccurrences(of: #""shipTo": "0614141000029""#, with: #""shipTo": "DC-ATL/STO/A01/01/A""#)
        let notice = try #require(TestNetwork.normalize(Array(bin.utf8)).first?.shipmentNotice)
        #expect(notice.shipTo.site == "DC-ATL" && notice.warnings.contains { $0.code == .fieldNotUsed && $0.message.contains("inside site DC-ATL") })
    }

    @Test("a JSON ship notice's unit listed twice as before is listed once; listed again with other lines, its lines add up")
    func unitListedTwice() throws {
        let json = try String(contentsOf: TestSupport.path("examples/samples/brightlite-asn.json"), encoding: .utf8)
        let carton = #"{"sscc": "006141410000100026", "packaging": "CTN", "parent": "006141410000100019", "lines": [{"item": {"gtin": "00614141000104"}, "quantity": 1, "uom": "each", "poNumber": "PO-77120", "poLine": "1"}]}"#
        func notice(_ extra: String) throws -> ShipmentNotice {
            let text = json.replacingOccurrences(of: #"{"sscc": "006141410000100019", "packaging": "PLT"},"#, with: #"{"sscc": "006141410000100019", "packaging": "PLT"},"# + extra + ",")
            return try #require(TestNetwork.normalize(Array(text.utf8)).first?.shipmentNotice, "\(TestNetwork.normalize(Array(text.utf8)))")
        }
        let once = try notice(carton)
        #expect(once.lines.count == 3 && once.handlingUnits.count == 2)
        let twice = try notice(carton + "," + carton)
        #expect(twice.lines.count == 3 && twice.handlingUnits.count == 2, "\(twice.lines.map(\.quantity))")
        let other = try notice(carton + "," + carton.replacingOccurrences(of: #""quantity": 1"#, with: #""quantity": 4"#))
        #expect(other.lines.count == 4)
    }

    @Test("an event larger than the output limit is its document's rejection (MESSAGE_TOO_LARGE), as in the hub")
    func outputLimit() throws {
        let device = String(repeating: "d", count: 70_000)
        let scan = ScanTests.scan(["device": "\"\(device)\""])
        let record = InputRecord(value: Array(scan.utf8), source: .file("big"), recordedAt: TestNetwork.recorded)
        var normalizer = Normalizer(snapshot: TestNetwork.reference)
        #expect(normalizer.normalize(record, source: .scan).first?.rejection == nil)
        normalizer.maximumOutputBytes = 65_536
        let outcomes = normalizer.normalize(record, source: .scan)
        #expect(outcomes.count == 1 && outcomes.first?.rejection?.code == .messageTooLarge, "\(outcomes.count)")
    }

    @Test("the crossdock-partner header identifies a JSON sender that names none")
    func transportPartner() throws {
        var json = try String(contentsOf: TestSupport.path("examples/samples/brightlite-asn.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: #""supplier": "BRIGHTLITE","#, with: "")
        #expect(TestNetwork.normalize(Array(json.utf8)).first?.rejection?.code == .partnerUnknown)
        #expect(TestNetwork.normalize(Array(json.utf8), partnerHeader: "BRIGHTLITE").first?.shipmentNotice != nil)
    }

    @Test(
        "a document whose sender is another partner than the crossdock-partner header says is PARTNER_MISMATCH",
        arguments: [
            ("acme-856.x12", "ACME-INDUSTRIAL"), ("nordwerk-desadv.edi", "NORDWERK"), ("brightlite-asn.json", "BRIGHTLITE"),
        ])
    func partnerMismatch(sample: String, sender: String) throws {
        let bytes = try TestSupport.bytes("examples/samples/\(sample)")
        #expect(TestNetwork.normalize(bytes, partnerHeader: sender).allSatisfy { !$0.isRejection })
        let other = sender == "NORDWERK" ? "BRIGHTLITE" : "NORDWERK"
        let outcomes = TestNetwork.normalize(bytes, partnerHeader: other)
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.rejection?.code == .partnerMismatch }, "\(outcomes)")
        let message = try #require(outcomes.first?.rejection?.diagnostics.first { $0.code == .partnerMismatch }?.message)
        #expect(message.contains(sender) && message.contains(other), "\(message)")
    }

    @Test(
        "a document on a topic that belongs to another partner is PARTNER_MISMATCH",
        arguments: [
            ("acme-856.x12", "ACME-INDUSTRIAL"), ("nordwerk-desadv.edi", "NORDWERK"), ("brightlite-asn.json", "BRIGHTLITE"),
        ])
    func topicOwner(sample: String, sender: String) throws {
        let bytes = try TestSupport.bytes("examples/samples/\(sample)")
        #expect(TestNetwork.normalize(bytes, topicPartner: sender).allSatisfy { !$0.isRejection })
        let other = sender == "NORDWERK" ? "BRIGHTLITE" : "NORDWERK"
        let outcomes = TestNetwork.normalize(bytes, topicPartner: other)
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.rejection?.code == .partnerMismatch }, "\(outcomes)")
        let message = try #require(outcomes.first?.rejection?.diagnostics.first { $0.code == .partnerMismatch }?.message)
        #expect(message.contains("topic belongs to partner \(other)"), "\(message)")
        // A header that contradicts the topic's owner is not trusted either, whatever the document says.
        let contradicted = TestNetwork.normalize(bytes, partnerHeader: other, topicPartner: sender)
        #expect(!contradicted.isEmpty && contradicted.allSatisfy { $0.rejection?.code == .partnerMismatch }, "\(contradicted)")
    }
}

/// Random damage to valid inputs: the pipeline never crashes, and every outcome is an event or a
/// rejection that says why.
@Suite("Envelope findings")
struct EnvelopeFindingTests {
    /// The sample 856's interchange holding its set in two groups, 77 and 78 (ASN ...77 and ...78),
    /// with the groups' trailers as given.
    static func twoGroups(ge77: String = "GE*1*77", ge78: String = "GE*1*78", third: String = "") throws -> [UInt8] {
        let sample = String(decoding: try TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)
        let lines = sample.split(separator: "\n").map(String.init)
        let set = lines[2..<(lines.count - 2)]
        let second = set.map {
            $0.replacingOccurrences(of: "ST*856*0001", with: "ST*856*0002").replacingOccurrences(of: "SE*22*0001", with: "SE*22*0002")
                .replacingOccurrences(of: "ASN2611190077", with: "ASN2611190078")
        }
        let text = [lines[0], lines[1]] + set + [ge77 + "~", "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*78*X*004010~"] + second
            + [ge78 + "~"] + (third.isEmpty ? [] : [third]) + ["IEA*\(third.isEmpty ? 2 : 3)*000000077~"]
        return Array((text.joined(separator: "\n") + "\n").utf8)
    }

    @Test("a group's GE count that is wrong rejects that group's sets only, as its 997 says")
    func groupFindingsStayWithTheGroup() throws {
        let input = try Self.twoGroups(ge78: "GE*5*78")
        let outcomes = TestNetwork.normalize(input)
        #expect(outcomes.compactMap(\.shipmentNotice).map(\.asnNumber) == ["ASN2611190077"])
        let rejection = try #require(outcomes.last?.rejection)
        #expect(rejection.documents?.map(\.document) == ["000000077/78/0002"] && rejection.message == "GE01 says 5 transaction sets, the group has 1")
        // Read whole or set by set, the same.
        let (whole, streamed) = StreamingTests.bothWays("two groups", input, .asn)
        #expect(whole.map(StreamingTests.text) == streamed.map(StreamingTests.text) && whole.count == 2)
    }

    @Test("a group without sets whose trailer is wrong is a rejected document of its own; the other sets pass")
    func emptyGroup() throws {
        let input = try Self.twoGroups(third: "GS*SH*ACMEIND*CROSSDOCK*20261120*0915*79*X*004010~\nGE*2*79~")
        let outcomes = TestNetwork.normalize(input)
        #expect(outcomes.compactMap(\.shipmentNotice).count == 2)
        let rejection = try #require(outcomes.last?.rejection)
        #expect(rejection.code == .x12Envelope && rejection.message == "GE01 says 2 transaction sets, the group has 0", "\(rejection.message)")
        let (whole, streamed) = StreamingTests.bothWays("empty group", input, .asn)
        #expect(whole.map(StreamingTests.text) == streamed.map(StreamingTests.text) && whole.count == 3)
    }

    @Test("EDIFACT interchanges batched in one input, each opening with its own UNA, are each read with its separators")
    func batchedUNA() throws {
        let sample = String(decoding: try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), as: UTF8.self)
        // The second interchange: element *, component >, release !, terminator ~.
        let second = sample.replacingOccurrences(of: "DA-2611-0481", with: "DA-2611-0482").replacingOccurrences(of: "NW000481", with: "NW000482")
            .replacingOccurrences(of: "UNA:+.? '", with: "UNA").replacingOccurrences(of: "+", with: "*")
            .replacingOccurrences(of: "'", with: "~").replacingOccurrences(of: ":", with: ">")
        let input = Array((sample + "UNA>*.! ~" + second.dropFirst(3) + sample.replacingOccurrences(of: "0481", with: "0483")).utf8)
        let outcomes = TestNetwork.normalize(input)
        #expect(outcomes.compactMap(\.shipmentNotice).map(\.asnNumber) == ["DA-2611-0481", "DA-2611-0482", "DA-2611-0483"], "\(outcomes)")
        #expect(outcomes.compactMap(\.shipmentNotice).allSatisfy { $0.lines.count == 2 })
        let (whole, streamed) = StreamingTests.bothWays("batched", input, .asn)
        #expect(whole.map(StreamingTests.text) == streamed.map(StreamingTests.text))
    }

    @Test("an interchange's own findings still go with every set of it")
    func interchangeFindingsGoWithEverySet() throws {
        let input = try Self.twoGroups()
        let wrongIEA = Array(String(decoding: input, as: UTF8.self).replacingOccurrences(of: "IEA*2*", with: "IEA*7*").utf8)
        let rejection = try #require(TestNetwork.normalize(wrongIEA).first?.rejection)
        #expect(rejection.documents?.count == 2 && rejection.code == .x12Envelope)
    }
}

@Suite("Damaged inputs")
struct DamagedInputTests {
    static let inputs: [(String, [UInt8])] = [
        ("acme-856.x12", try! TestSupport.bytes("examples/samples/acme-856.x12")),
        ("nordwerk-desadv.edi", try! TestSupport.bytes("examples/samples/nordwerk-desadv.edi")),
        ("brightlite-asn.json", try! TestSupport.bytes("examples/samples/brightlite-asn.json")),
    ]

    static func check(_ outcomes: [Outcome]) {
        #expect(!outcomes.isEmpty)
        for outcome in outcomes {
            if let rejection = outcome.rejection {
                #expect(rejection.diagnostics.contains { $0.severity == .error && !$0.code.rawValue.isEmpty })
            }
        }
    }

    @Test("every truncation is rejected with a reason", arguments: inputs.map(\.0))
    func truncations(name: String) {
        let input = Self.inputs.first { $0.0 == name }!.1
        for length in stride(from: 0, to: input.count - 2, by: 1) {
            let outcomes = TestNetwork.normalize(Array(input.prefix(length)))
            Self.check(outcomes)
            // Cut before the last significant byte, nothing may pass as complete.
            let allRejected = outcomes.allSatisfy { $0.isRejection }
            #expect(allRejected, "prefix of \(length) bytes accepted")
        }
    }

    @Test("random byte flips never crash and always end in events or reasons", arguments: inputs.map(\.0))
    func flips(name: String) {
        let input = Self.inputs.first { $0.0 == name }!.1
        var generator = SplitMix(seed: 0xC0FFEE)
        for _ in 0..<400 {
            var damaged = input
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let index = Int(generator.next() % UInt64(damaged.count))
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            Self.check(TestNetwork.normalize(damaged))
        }
    }
}

/// An input of many documents gets one rejection, whose size follows the input's, not the
/// number of documents times the input's.
@Suite("Rejections are bounded")
struct BoundedRejectionTests {
    @Test("1,000 rejected sets of one interchange: one rejection, the original once, each set listed")
    func manySets() throws {
        let bad = X12Builder.body(levels: ["HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*ZZ"])
        let good = X12Builder.body(bsn: "BSN*00*ASN-OK*20261120*0915")
        let input = X12Builder().interchange([good] + Array(repeating: bad, count: 1_000))
        let outcomes = TestNetwork.normalize(input)
        #expect(outcomes.count == 2)
        #expect(outcomes.first?.shipmentNotice?.asnNumber == "ASN-OK")
        let rejection = try #require(outcomes.last?.rejection)
        #expect(rejection.documents?.count == 1_000)
        #expect(rejection.documents?.last?.document == "000000101/101/1001")
        #expect(rejection.original.bytes == input && rejection.originalLength == input.count && !rejection.originalTruncated)
        // The original once, and the findings: a few times the input, not a thousand.
        let size = outcomes.reduce(0) { $0 + $1.jsonBytes().count }
        #expect(size < 8 * input.count, "\(size) bytes of output for \(input.count) of input")
    }

    @Test("10,000 tiny bad scans in 30 KB: the first thousand listed, the rest counted; the rejection stays small")
    func manyTinyDocuments() throws {
        let input = Array(("{\"scans\": [" + Array(repeating: "42", count: 10_000).joined(separator: ",") + "]}").utf8)
        let outcomes = TestNetwork.normalize(input, source: .scan)
        try #require(outcomes.count == 1)
        let rejection = try #require(outcomes[0].rejection)
        #expect(rejection.documents?.count == RecordRejection.listedDocuments)
        #expect(rejection.documentsOmitted == 10_000 - RecordRejection.listedDocuments)
        #expect(outcomes[0].jsonBytes().count < 1_000_000, "\(outcomes[0].jsonBytes().count) bytes")
    }

    @Test("bounds on one JSON input: a million values, 100,000 scans a batch, a thousand findings a document")
    func jsonBounds() throws {
        let zeros = Array(("{\"scans\": [" + Array(repeating: "0", count: 1_000_001).joined(separator: ",") + "]}").utf8)
        #expect(TestNetwork.normalize(zeros, source: .scan, limit: 20_000_000).first?.rejection?.message.contains("more than 1000000 values") == true)
        let batch = Array(("{\"scans\": [" + Array(repeating: "0", count: 100_001).joined(separator: ",") + "]}").utf8)
        let tooMany = try #require(TestNetwork.normalize(batch, source: .scan).first?.rejection)
        #expect(tooMany.code == .messageTooLarge && tooMany.message.contains("100001 scans"))
        let units = Array(
            (#"{"asnNumber": "A", "supplier": "BRIGHTLITE", "shipTo": "0614141000029", "handlingUnits": ["#
                + Array(repeating: "{}", count: 50_000).joined(separator: ",") + "]}").utf8)
        let outcomes = TestNetwork.normalize(units)
        try #require(outcomes.count == 1)
        let rejection = try #require(outcomes[0].rejection)
        #expect(rejection.diagnostics.count <= 1_002)
        #expect(rejection.diagnostics.contains { $0.code == .findingsOmitted })
        #expect(outcomes[0].jsonBytes().count < 1_000_000)
    }

    @Test("an original above the limit is carried cut short, with the length and SHA-256 of the whole")
    func truncatedOriginal() throws {
        let input = Array(#"{"scans": [{"gateway": "nobody", "action": "PUT", "note": "\#(String(repeating: "x", count: 5_000))"}]}"#.utf8)
        var normalizer = Normalizer(snapshot: TestNetwork.reference)
        normalizer.maximumOriginalBytes = 1_000
        let record = InputRecord(value: input, source: .file("big.json"), recordedAt: TestNetwork.recorded)
        let outcomes = normalizer.normalize(record, source: .scan)
        try #require(outcomes.count == 1)
        let rejection = try #require(outcomes[0].rejection)
        #expect(rejection.original.bytes == Array(input.prefix(1_000)))
        #expect(rejection.originalTruncated && rejection.originalLength == input.count)
        #expect(rejection.originalSha256 == SHA256.hex(input))
    }
}

@Suite("Handling-unit trees")
struct HandlingUnitTreeTests {
    static let desadv = try! String(contentsOf: TestSupport.path("examples/samples/nordwerk-desadv.edi"), encoding: .utf8)
    static let json = #"""
        {"asnNumber": "BL-1", "supplier": "BRIGHTLITE", "shipTo": "0614141000029", "shippedAt": "2026-11-21T14:30:00-05:00",
         "handlingUnits": [
            {"sscc": "006141410000100019", "packaging": "PLT", "parent": "PARENT-A"},
            {"sscc": "006141410000100026", "packaging": "CTN", "parent": "PARENT-B",
             "lines": [{"item": {"gtin": "00614141000104"}, "quantity": 3, "uom": "case"}]}]}
        """#

    @Test("a unit that is its own parent, or inside itself through its parents, is rejected in every format", arguments: [
        ("DESADV self", desadv.replacingOccurrences(of: "CPS+2+1'", with: "CPS+2+2'"), "is its own parent"),
        ("DESADV loop", desadv.replacingOccurrences(of: "CPS+2+1'", with: "CPS+2+3'")
            .replacingOccurrences(of: "PCI+36E'", with: "CPS+3+2'PAC+1++201'PCI+33E'GIN+BJ+006141410000110025'PCI+36E'"), "its parents loop"),
        ("JSON self", json.replacingOccurrences(of: "PARENT-A", with: "006141410000100019").replacingOccurrences(of: #", "parent": "PARENT-B""#, with: ""), "is its own parent"),
        ("JSON loop", json.replacingOccurrences(of: "PARENT-A", with: "006141410000100026").replacingOccurrences(of: "PARENT-B", with: "006141410000100019"), "its parents loop"),
    ])
    func cycles(name: String, input: String, message: String) throws {
        let outcomes = TestNetwork.normalize(Array(input.utf8))
        try #require(outcomes.count == 1)
        let rejection = try #require(outcomes[0].rejection, "\(name) accepted")
        #expect(rejection.diagnostics.contains { $0.code == .valueConflict && $0.message.contains(message) }, "\(name): \(rejection.diagnostics)")
    }

    /// An SSCC with its check digit, from a serial.
    static func sscc(_ serial: Int) -> String {
        let base = "00614141" + String(format: "%09d", serial)
        return base + String(GS1CheckDigit.compute(for: Array(base.utf8))!)
    }

    @Test("a chain of 20,000 cartons, a loop of three above nothing and two hanging under it: the three, and only they, loop")
    func longChains() throws {
        var units: [String] = []
        for serial in 0..<20_000 {  // each carton inside the one before: walked to the top from each, 13 s
            let parent = serial == 0 ? "" : #", "parent": "\#(Self.sscc(serial - 1))""#
            units.append(#"{"sscc": "\#(Self.sscc(serial))", "packaging": "CTN"\#(parent)}"#)
        }
        let loop = [30_000, 30_001, 30_002]
        for (index, serial) in loop.enumerated() {
            units.append(#"{"sscc": "\#(Self.sscc(serial))", "packaging": "PLT", "parent": "\#(Self.sscc(loop[(index + 1) % 3]))"}"#)
        }
        units.append(#"{"sscc": "\#(Self.sscc(40_000))", "packaging": "CTN", "parent": "\#(Self.sscc(30_001))"}"#)
        units.append(#"{"sscc": "\#(Self.sscc(40_001))", "packaging": "CTN", "parent": "\#(Self.sscc(40_000))", "lines": [{"item": {"gtin": "00614141000104"}, "quantity": 3, "uom": "case"}]}"#)
        let input = #"{"asnNumber": "BL-1", "supplier": "BRIGHTLITE", "shipTo": "0614141000029", "shippedAt": "2026-11-21T14:30:00-05:00", "handlingUnits": ["#
            + units.joined(separator: ",") + "]}"
        let outcomes = TestNetwork.normalize(Array(input.utf8))
        let rejection = try #require(outcomes.first?.rejection)
        let looping = rejection.diagnostics.filter { $0.message.contains("its parents loop") }
        #expect(Set(looping.map(\.message)) == Set(loop.map { "handling unit \(Self.sscc($0)) is packed inside itself (its parents loop)" }))
        #expect(looping.count == 3, "\(looping)")
    }
}

@Suite("Source mismatch")
struct SourceMismatchTests {
    @Test("a record of another kind than its source is SOURCE_MISMATCH, for every pair of kinds")
    func mismatch() throws {
        let samples: [(Source, String)] = [(.asn, "acme-856.x12"), (.asn, "nordwerk-desadv.edi"), (.asn, "brightlite-asn.json"),
            (.scan, "dc-atl-receive.json"), (.carrier, "odfl-214.x12"), (.carrier, "dhl-iftsta.edi")]
        for (kind, name) in samples {
            let bytes = try TestSupport.bytes("examples/samples/\(name)")
            for other in Source.allCases where other != kind {
                let outcomes = TestNetwork.normalize(bytes, source: other)
                try #require(outcomes.count == 1)
                #expect(outcomes[0].rejection?.code == .sourceMismatch, "\(name) as \(other): \(outcomes[0])")
                #expect(outcomes[0].rejection?.stage == .decode)
            }
            #expect(!TestNetwork.normalize(bytes, source: kind).contains(where: { $0.rejection?.code == .sourceMismatch }))
        }
    }
}

@Suite("Review findings")
struct ReviewFindingTests {
    static let acme = String(decoding: try! TestSupport.bytes("examples/samples/acme-856.x12"), as: UTF8.self)

    @Test("an interchange without sets beside a good one: its envelope errors are a rejected document, not lost")
    func unitlessInterchange() throws {
        let isa = String(Self.acme.prefix { $0 != "~" })
        let stray = isa + "~HL*1**S~SE*22*0001~GE*1*77~IEA*1*000000077~"
        let outcomes = TestNetwork.normalize(Array((Self.acme + stray).utf8))
        #expect(outcomes.first?.shipmentNotice != nil)
        let rejection = try #require(outcomes.last?.rejection, "\(outcomes)")
        #expect(rejection.diagnostics.contains { $0.code == .x12Envelope && $0.message.contains("SE without ST") })
        #expect(rejection.documents?.first?.document.hasPrefix("interchange at byte") == true)
    }

    @Test("a document date that becomes the event time keeps its warnings (CENTURY_ASSUMED)")
    func centuryOfEventTime() throws {
        let input = Self.acme.replacingOccurrences(of: "*20261120*", with: "*491120*")
        let outcomes = TestNetwork.normalize(Array(input.utf8))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.warnings.contains { $0.code == .centuryAssumed }, "\(notice.warnings)")
    }

    @Test("the kind of an input is read from ST01 and UNH, not from text that mentions another")
    func detection() throws {
        let iftsta = String(decoding: try TestSupport.bytes("examples/samples/dhl-iftsta.edi"), as: UTF8.self)
        let mentioning = iftsta.replacingOccurrences(of: "BGM+", with: "FTX+AAI+++NOT A DESADV'BGM+")
        #expect(Source.detect(Array(mentioning.utf8)) == .carrier)
        let odfl = String(decoding: try TestSupport.bytes("examples/samples/odfl-214.x12"), as: UTF8.self)
        #expect(Source.detect(Array(odfl.replacingOccurrences(of: "B10*", with: "K1*ST*8560~B10*").utf8)) == .carrier)
        #expect(Source.detect(Array(Self.acme.utf8)) == .asn)
        #expect(Source.detect(Array(#"{"note": "asnNumber", "scans": []}"#.utf8)) == .scan)
        // A member name inside a string value (quotes escaped) is no member.
        #expect(Source.detect(Array(#"{"note": "say \"asnNumber\": 1", "barcode": "]C1"}"#.utf8)) == .scan)
        #expect(Source.detect(Array(Self.acme.replacingOccurrences(of: "~\n", with: "~\r\n").utf8)) == .asn)
        #expect(Source.detect(Array(Self.acme.replacingOccurrences(of: "~\n", with: "~").utf8)) == .asn)
    }
}

@Suite("Transport headers")
struct TransportHeaderTests {
    static let scan = Array(
        #"{"scannedAt": "2026-11-21T06:55:00-05:00", "action": "RCV", "location": "DOCK1", "barcode": "]C10100614141000029"}"#.utf8)

    static func outcomes(headers: [(key: String, value: String)], unreadable: [String] = []) -> [Outcome] {
        var record = InputRecord(value: scan, headers: headers, source: .file("scan.json"), recordedAt: TestNetwork.recorded)
        record.unreadableHeaders = unreadable
        return Normalizer(snapshot: TestNetwork.reference).normalize(record, source: .scan)
    }

    @Test("one crossdock-partner header names the sender of a scan without gateway")
    func one() {
        #expect(Self.outcomes(headers: [("crossdock-partner", "GW-DC-ATL")]).map(\.isRejection) == [false])
    }

    @Test("two crossdock-partner headers, an unreadable or an empty one: rejected, never first-wins or dropped")
    func bad() throws {
        let cases: [([(key: String, value: String)], [String], DiagnosticCode)] = [
            ([("crossdock-partner", "GW-DC-ATL"), ("crossdock-partner", "OTHER")], [], .partnerMismatch),
            ([("crossdock-partner", "GW-DC-ATL"), ("crossdock-partner", "GW-DC-ATL")], [], .partnerMismatch),
            ([], ["crossdock-partner"], .headerInvalid),
            ([("crossdock-partner", "GW-DC-ATL")], ["crossdock-partner"], .headerInvalid),
            ([("crossdock-partner", "")], [], .headerInvalid),
        ]
        for (headers, unreadable, code) in cases {
            let outcomes = Self.outcomes(headers: headers, unreadable: unreadable)
            try #require(outcomes.count == 1)
            let rejection = try #require(outcomes[0].rejection, "\(headers) \(unreadable) accepted")
            #expect(rejection.code == code, "\(headers) \(unreadable): \(rejection.diagnostics)")
            #expect(rejection.stage == .decode)
            #expect(rejection.diagnostics.first?.location == "header crossdock-partner")
        }
    }
}

/// A small deterministic generator, so a failure can be reproduced.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
