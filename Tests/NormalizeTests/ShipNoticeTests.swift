import Formats
import Foundation
import MasterData
import Model
import Normalize
import TestSupport
import Testing

@Suite("Ship notices from the reference suppliers")
struct ReferenceSupplierTests {
    @Test("ACME's X12 856 becomes one notice with base quantities")
    func acme() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/acme-856.x12"))
        try #require(outcomes.count == 1)
        let notice = try #require(outcomes[0].shipmentNotice, "\(outcomes[0])")
        #expect(notice.shipmentId == "ACME-INDUSTRIAL:ASN2611190077")
        #expect(notice.shipTo.id == "DC-ATL")
        #expect(notice.lines.map(\.baseQuantity) == [Quantity(ExactDecimal(48), "EA"), Quantity(ExactDecimal(1000), "EA")])
        #expect(notice.lines.map(\.item.sku) == ["WID-200", "GAS-050"])
        #expect(notice.totals?.grossWeight == Quantity(ExactDecimal("812.5")!, "LBR"))
        #expect(notice.carrier?.scac == "ODFL")
        #expect(notice.references?.billOfLading == "BOL190077")
        #expect(notice.handlingUnits == [HandlingUnit(sscc: "006141410000090013")], "no TD1 at the pack level: no packaging")
        #expect(notice.shippedAt == nil && notice.shippedAtLocal == "2026-11-20", "DTM*011 is a date alone")
        #expect(notice.expectedArrivalAt == nil && notice.expectedArrivalAtLocal == "2026-11-24")
        #expect(outcomes[0].eventTime?.description == "2026-11-20T09:15:00-06:00", "BSN03/04 in ACME's zone, America/Chicago")
    }

    @Test("BrightLite's JSON ASN maps its own unit words through its profile")
    func brightlite() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/brightlite-asn.json"))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.shipTo.id == "DC-CLT")
        #expect(notice.lines.map(\.quantity) == [Quantity(ExactDecimal(3), "CS"), Quantity(ExactDecimal(2), "EA")])
        #expect(notice.lines.map(\.baseQuantity) == [Quantity(ExactDecimal(6), "EA"), Quantity(ExactDecimal(2), "EA")])
        #expect(notice.handlingUnits.last?.parent == "006141410000100019")
        #expect(notice.references?.trackingNumbers == ["1Z999AA10123456784"])
    }

    @Test("Nordwerk's DESADV: GLNs, CPS nesting, SSCC, supplier item, batch")
    func nordwerk() throws {
        let outcomes = TestNetwork.normalize(try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.shipTo.id == "DC-DEN")
        #expect(notice.supplier.gln == "4012345000009")
        #expect(notice.lines.count == 2)
        #expect(notice.lines[0].item.lot == "CH-2611-07")
        #expect(notice.lines[1].item.supplierItem == "NW-M8-25" && notice.lines[1].item.sku == "BLT-M8")
        #expect(notice.lines[1].baseQuantity == Quantity(ExactDecimal(50), "KGM"))
        #expect(notice.lines.allSatisfy { $0.handlingUnit == "006141410000110018" })
        #expect(notice.shippedAt?.description == "2026-11-21T08:00:00+01:00", "DTM+11 format 203 in Nordwerk's zone")
        #expect(notice.expectedArrivalAt == nil && notice.expectedArrivalAtLocal == "2026-11-26", "DTM+17 format 102 is a date")
    }

    @Test("every event and rejection produced here validates against the schemas")
    func schemas() throws {
        var lines: [[UInt8]] = []
        for input in [
            try TestSupport.bytes("examples/samples/acme-856.x12"), try TestSupport.bytes("examples/samples/brightlite-asn.json"),
            try TestSupport.bytes("examples/samples/nordwerk-desadv.edi"), Array("ISA*broken".utf8),
        ] {
            lines += TestNetwork.normalize(input).map { $0.jsonBytes() }
        }
        let result = try TestSupport.validateEvents(lines)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("events: 4 valid"), "\(result.output)")
    }

    @Test("the same input gives byte-identical output")
    func deterministic() throws {
        for input in [try TestSupport.bytes("examples/samples/acme-856.x12"), try TestSupport.bytes("examples/samples/nordwerk-desadv.edi")] {
            #expect(TestNetwork.normalize(input).map { $0.jsonBytes() } == TestNetwork.normalize(input).map { $0.jsonBytes() })
        }
    }
}

@Suite("856 mapping rules")
struct X12MappingTests {
    static func notice(_ sets: [[String]], sender: String = "ACMEIND") throws -> ShipmentNotice {
        let outcomes = TestNetwork.normalize(X12Builder(sender: sender).interchange(sets))
        try #require(outcomes.count == 1)
        return try #require(outcomes[0].shipmentNotice, "\(outcomes[0].rejection.map { "\($0.diagnostics)" } ?? "")")
    }

    @Test("S-O-T-P-I: pallet, carton and item, nested by HL parents; 20-digit MAN with its 00")
    func pickAndPack() throws {
        let notice = try Self.notice([
            X12Builder.body(levels: [
                "HL*3*2*T", "MAN*GM*00006141410000000012", "HL*4*3*P", "MAN*GM*006141410000000029",
                "HL*5*4*I", "LIN*1*UK*00614141000029*VP*AC-1", "SN1**2*CA",
                "HL*6*3*P", "MAN*GM*006141410000000036", "HL*7*6*I", "LIN*2*UK*00614141000036", "SN1**1*CA",
            ])
        ])
        #expect(
            notice.handlingUnits == [
                HandlingUnit(sscc: "006141410000000012"),
                HandlingUnit(sscc: "006141410000000029", parent: "006141410000000012"),
                HandlingUnit(sscc: "006141410000000036", parent: "006141410000000012"),
            ])
        #expect(notice.lines.map(\.handlingUnit) == ["006141410000000029", "006141410000000036"])
        #expect(notice.lines.allSatisfy { $0.poNumber == "PO-1" })
        #expect(notice.orders == ["PO-1"])
    }

    @Test("S-O-I without packs and S-P-I without orders")
    func otherStructures() throws {
        let soi = try Self.notice([X12Builder.body()])
        #expect(soi.lines.first?.handlingUnit == nil && soi.handlingUnits.isEmpty)
        let spi = try Self.notice([
            ["BSN*00*ASN-T2*20261120*0915", "HL*1**S", "N1*ST*RECEIVING*UL*0614141000012", "HL*2*1*P",
             "MAN*GM*006141410000000029", "HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA"]
        ])
        #expect(spi.orders.isEmpty && spi.lines.first?.handlingUnit == "006141410000000029")
    }

    @Test("LIN qualifiers: UPC, EAN-13 and GTIN-14 normalise; vendor and buyer parts; lot; serials; expiry")
    func productIDs() throws {
        let notice = try Self.notice([
            X12Builder.body(levels: [
                "HL*3*2*I", "LIN*1*UP*614141000036*VP*AC-1200*BP*GAS-050", "SN1**1*CA", "REF*LT*L-77", "DTM*036*20271231",
                "HL*4*2*I", "LIN*2*EN*0614141000043*LT*ADH-LOT-9*SN*S-1", "SN1**12*EA", "REF*SE*S-2",
                "HL*5*2*I", "LIN*3*VP*AC-7781", "SN1**1*CA",
            ])
        ])
        let lines = notice.lines
        #expect(lines[0].item.gtin == "00614141000036" && lines[0].item.supplierItem == "AC-1200" && lines[0].item.buyerItem == "GAS-050")
        #expect(lines[0].item.lot == "L-77" && lines[0].item.expiry?.description == "2027-12-31")
        #expect(lines[1].item.gtin == "00614141000043" && lines[1].item.lot == "ADH-LOT-9" && lines[1].serials == ["S-1", "S-2"])
        #expect(lines[1].baseQuantity == Quantity(ExactDecimal(12), "EA"))
        // No GTIN: the supplier item resolves through ACME's profile (AC-7781 -> WID-100).
        #expect(lines[2].item.sku == "WID-100" && lines[2].baseQuantity == Quantity(ExactDecimal(12), "EA"))
    }

    @Test("where each value comes from: REF*LT or the LIN's lot, a PRF or the LIN's PO over the order's, the last PID; two values conflict")
    func precedence() throws {
        let levels = [
            "HL*3*2*I", "LIN*1*UK*00614141000029*SN*S1*VP*AC-1*SN*S2", "SN1**2*CA",
            "PID*F****Widget blue", "PID*F****", "REF*LT*REF-LOT", "REF*SE*S3", "REF*SE*", "DTM*036*20271231", "PRF*ITEM-PO*7",
            "HL*4*2*I", "LIN*2*UK*00614141000036*VP*AC-2*ON*LIN-ORDER", "SN1**3*EA", "REF*LT*", "PRF**9",
            "HL*5*2*I", "LIN*3*LT *PADDED* VP *AC-3*UK*00614141000029", "SN1** 5 *CA",
        ]
        let lines = try Self.notice([X12Builder.body(levels: levels)]).lines
        #expect(lines.map(\.item.lot) == ["REF-LOT", nil, "PADDED"])
        #expect(lines.map(\.poNumber) == ["ITEM-PO", "LIN-ORDER", "PO-1"])
        #expect(lines.map(\.poLine) == [nil, nil, nil], "PRF02 is the release number, not a PO line")
        #expect(lines.map(\.quantity) == [Quantity(ExactDecimal(2), "CS"), Quantity(ExactDecimal(3), "EA"), Quantity(ExactDecimal(5), "CS")])
        #expect(lines[0].serials == ["S1", "S2", "S3"] && lines[0].item.description == "Widget blue")
        #expect(lines.map(\.item.supplierItem) == ["AC-1", "AC-2", "AC-3"])
        // Two quantities for one item level: the notice contradicts itself, and no quantity is picked.
        let twice = levels.flatMap { $0 == "SN1**3*EA" ? ["SN1**1*CA", "SN1**3*EA"] : [$0] }
        let conflict = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: twice)]))
        #expect(conflict.first?.rejection?.code == .valueConflict, "\(conflict)")
        // A LIN lot or order number and a REF*LT or PRF that say otherwise contradict each other.
        for contradicted in [
            levels.map { $0.hasPrefix("LIN*1*") ? $0 + "*LT*LIN-LOT" : $0 }, levels.map { $0.hasPrefix("LIN*1*") ? $0 + "*PO*LIN-PO" : $0 },
            levels.flatMap { $0 == "REF*LT*REF-LOT" ? [$0, "REF*LT*OTHER-LOT"] : [$0] },
        ] {
            let outcome = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: contradicted)])).first
            #expect(outcome?.rejection?.code == .valueConflict, "\(String(describing: outcome))")
        }

        // The lines as the reader stores them are what its views of the segments answer.
        let input = X12Builder().interchange([X12Builder.body(levels: levels)])
        var stored: [ASNDocument] = []
        var viewed: [[X12ItemLine]] = []
        _ = X12Reader.read(input) { set in
            stored.append(X12ShipNotice.read(set))
            viewed.append(X12ShipNotice.readLines(set).lines)
        }
        let views = try #require(viewed.first)
        let document = try #require(stored.first)
        #expect(document.lines.count == 3 && views.count == 3)
        for (line, view) in zip(document.lines, views) {
            #expect(line.lineId == view.lineId && line.quantity == view.quantity && line.unit == view.unit)
            #expect(line.lot == view.lot && line.poNumber == view.poNumber && line.poLine == view.poLine)
            #expect(line.serials == view.serials && line.description == view.description && line.expiry == view.expiry)
            #expect(line.productIDs == Array(view.productIDs) && line.handlingUnit == view.handlingUnit)
            #expect(line.quantityLocation == view.quantityLocation && line.location == view.location)
        }
    }

    @Test("transport: TD1 weight, TD5 carrier, REF BM/CN/PK, DTM 011/017 with time codes, N1 parties")
    func transport() throws {
        let notice = try Self.notice([
            X12Builder.body(
                extraShipment: [
                    "TD1*PLT94*3****G*1200*KG", "TD5*B*2*ODFL*M*ODFL LTL", "REF*BM*BOL-9", "REF*CN*PRO-7", "REF*PK*PL-3",
                    "DTM*011*20260715*1430*ET", "DTM*017*20260120*0800*CT", "N1*SF*ACME PLANT*92*DALTON-1",
                ])
        ])
        #expect(notice.totals?.grossWeight == Quantity(ExactDecimal(1200), "KGM"))
        #expect(notice.totals?.handlingUnits == 3)
        #expect(notice.carrier == CarrierInfo(scac: "ODFL", name: "ODFL LTL", mode: "M"))
        #expect(notice.references?.billOfLading == "BOL-9" && notice.references?.proNumber == "PRO-7")
        #expect(notice.references?.other == [Reference(qualifier: "PK", value: "PL-3")])
        // ET in July is daylight time (-04:00); CT in January is standard time (-06:00).
        #expect(notice.shippedAt?.description == "2026-07-15T14:30:00-04:00")
        #expect(notice.expectedArrivalAt?.description == "2026-01-20T08:00:00-06:00")
        #expect(notice.shipFrom == Party(id: "DALTON-1", name: "ACME PLANT"))
    }

    @Test("BSN01: 00 original, 05 replace, 01 cancel", arguments: [("00", ShipmentPurpose.original), ("05", .replace), ("01", .cancel)])
    func purpose(code: String, purpose: ShipmentPurpose) throws {
        #expect(try Self.notice([X12Builder.body(bsn: "BSN*\(code)*ASN-T1*20261120*0915")]).purpose == purpose)
    }

    @Test("HL parents must come before their children: a level naming itself, a later level or an HL01 used twice is rejected")
    func hlParents() throws {
        func rejection(_ levels: [String]) throws -> [String] {
            let outcomes = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: levels)]))
            let rejected = try #require(outcomes.first?.rejection, "\(outcomes)")
            return rejected.diagnostics.filter { $0.code == .x12Syntax }.map { "\($0.message) at \($0.location ?? "")" }
        }
        let itself = try rejection(["HL*3*3*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
        #expect(itself == ["HL 3 names parent 3, which does not come before it at ST 0001 / segment 7 HL / element 02"], "\(itself)")
        let later = try rejection(["HL*3*4*I", "LIN*1*UK*00614141000029", "SN1**2*CA", "HL*4*2*P", "MAN*GM*006141410000000029"])
        #expect(later == ["HL 3 names parent 4, which does not come before it at ST 0001 / segment 7 HL / element 02"], "\(later)")
        let twice = try rejection(["HL*2*1*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
        #expect(twice == ["HL01 2 is used twice at ST 0001 / segment 7 HL / element 01"], "\(twice)")
    }

    @Test("HL01 by position (1, 2, 3), numbered otherwise, or otherwise from a level on: the same tree")
    func hlNumbering() throws {
        // The same shipment with its HL01/HL02 written as `ids` give them (S, O, P, I, I).
        func levels(_ ids: [String]) -> [[String]] {
            [[
                "BSN*00*ASN-T1*20261120*0915", "HL*\(ids[0])**S", "N1*ST*RECEIVING*UL*0614141000012",
                "HL*\(ids[1])*\(ids[0])*O", "PRF*PO-1", "HL*\(ids[2])*\(ids[1])*P", "MAN*GM*006141410000000029",
                "HL*\(ids[3])*\(ids[2])*I", "LIN*1*UK*00614141000029", "SN1**2*CA",
                "HL*\(ids[4])*\(ids[2])*I", "LIN*2*UK*00614141000036", "SN1**1*CA",
            ]]
        }
        func tree(_ notice: ShipmentNotice) -> [String] {
            notice.lines.map { "\($0.lineId) \($0.poNumber ?? "-") \($0.handlingUnit ?? "-")" }
        }
        let byPosition = try Self.notice(levels(["1", "2", "3", "4", "5"]))
        #expect(tree(byPosition) == ["1 PO-1 006141410000000029", "2 PO-1 006141410000000029"])
        for ids in [["01", "02", "03", "04", "05"], ["S", "O", "P1", "I1", "I2"], ["1", "2", "3", "X", "5"], ["1", "2", "3", "4", "7"], ["10", "20", "30", "40", "50"]] {
            #expect(tree(try Self.notice(levels(ids))) == tree(byPosition), "\(ids)")
        }
        // `03` is not `3`: ids are text, whichever way they are looked up.
        let padded = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: ["HL*3*02*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])]))
        #expect(padded.first?.rejection?.diagnostics.map(\.message).contains("HL 3 names parent 02, which does not come before it") == true)
        let twiceAfter = TestNetwork.normalize(
            X12Builder().interchange([X12Builder.body(levels: ["HL*A*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA", "HL*2*A*I"])]))
        #expect(twiceAfter.first?.rejection?.diagnostics.map(\.message).contains("HL01 2 is used twice") == true, "\(twiceAfter)")
    }

    @Test("a GTIN or unit code repeated over lines: each line gets the item, and each bad one its own diagnostic")
    func repeatedCodes() throws {
        let good = try Self.notice([X12Builder.body(levels: [
            "HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA", "HL*4*2*I", "LIN*2*UK*00614141000029", "SN1**3*CA",
        ])])
        #expect(good.lines.map(\.item.sku) == ["WID-200", "WID-200"])
        #expect(good.lines.map(\.baseQuantity?.value) == [ExactDecimal(48), ExactDecimal(72)])
        let bad = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: [
            "HL*3*2*I", "LIN*1*UK*00614141000028", "SN1**2*ZZ", "HL*4*2*I", "LIN*2*UK*00614141000028", "SN1**3*ZZ",
        ])]))
        let diagnostics = try #require(bad.first?.rejection).diagnostics
        #expect(diagnostics.filter { $0.code == .checkDigit }.map(\.location) == ["ST 0001 / segment 8 LIN / element 03", "ST 0001 / segment 11 LIN / element 03"])
        #expect(diagnostics.filter { $0.code == .uomUnknown }.map(\.location) == ["ST 0001 / segment 9 SN1 / element 03", "ST 0001 / segment 12 SN1 / element 03"])
    }

    @Test("more than eight GTINs and unit codes in one notice: every line gets its own item and base quantity")
    func manyCodes() throws {
        // The adapter compares a code with the first eight it saw and keeps the rest in a
        // dictionary: the last lines repeat codes from both.
        let lines: [(gtin: String, quantity: String, unit: String)] = [
            ("012", "2", "EA"), ("029", "3", "PC"), ("036", "4", "UN"), ("043", "1", "CA"), ("050", "2", "CA"),
            ("067", "5", "KG"), ("067", "500", "GM"), ("074", "3", "MR"), ("074", "250", "CM"), ("074", "1000", "MM"),
            ("081", "7", "EA"), ("098", "2", "BX"), ("104", "1", "EA"), ("012", "1", "CA"), ("104", "2", "PC"),
            ("098", "1", "CA"), ("074", "2000", "MM"),
        ]
        let levels = lines.enumerated().flatMap { index, line in
            ["HL*\(index + 3)*2*I", "LIN*\(index + 1)*UK*00614141000\(line.gtin)", "SN1**\(line.quantity)*\(line.unit)"]
        }
        let notice = try Self.notice([X12Builder.body(levels: levels)])
        #expect(notice.lines.map { $0.item.sku ?? "-" } == [
            "WID-100", "WID-200", "GAS-050", "ADH-500", "DRL-18V", "BLT-M8", "BLT-M8", "CBL-CU6", "CBL-CU6", "CBL-CU6",
            "SOL-20L", "GLV-NIT", "LMP-LED", "WID-100", "LMP-LED", "GLV-NIT", "CBL-CU6",
        ])
        #expect(notice.lines.map { $0.baseQuantity.map { "\($0.value) \($0.uom)" } ?? "-" } == [
            "2 EA", "3 EA", "4 EA", "6 EA", "8 EA", "5 KGM", "0.5 KGM", "3 MTR", "2.5 MTR", "1 MTR",
            "7 EA", "2 BX", "1 EA", "12 EA", "2 EA", "10 BX", "2 MTR",
        ])
    }

    @Test("a CTT that does not add up is a warning on the notice, not a rejection")
    func hashTotals() throws {
        let notice = try Self.notice([X12Builder.body(levels: ["HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA", "CTT*9*7"])])
        #expect(notice.warnings.map(\.code) == [.hashTotal, .hashTotal])
        #expect(notice.warnings.allSatisfy { $0.severity == .warning && $0.location?.contains("CTT") == true })
    }

    @Test("one interchange, several transaction sets: each good one its event, the bad ones one rejection")
    func severalSets() throws {
        let good = X12Builder.body(bsn: "BSN*00*ASN-A*20261120*0915")
        let bad = X12Builder.body(bsn: "BSN*00*ASN-B*20261120*0915", levels: ["HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*ZZ"])
        let outcomes = TestNetwork.normalize(X12Builder().interchange([good, bad, good.map { $0.replacingOccurrences(of: "ASN-A", with: "ASN-C") }]))
        #expect(outcomes.count == 3)
        #expect(outcomes.map { $0.shipmentNotice?.asnNumber } == ["ASN-A", "ASN-C", nil])
        #expect(outcomes[2].rejection?.code == .uomUnknown)
        #expect(outcomes[2].rejection?.diagnostics.first?.location == "ST 0002 / segment 9 SN1 / element 03")
        #expect(outcomes[2].rejection?.documents?.map(\.document) == ["000000101/101/0002"], "\(outcomes[2].rejection?.documents ?? [])")
    }

    @Test("the corpus 856s normalise with profiles for their senders")
    func corpus() throws {
        let gozer = TestNetwork.normalize(try TestSupport.bytes("Tests/Fixtures/corpus/x12/gozer/asn856/asn856.txt"), snapshot: TestNetwork.corpus)
        let notice = try #require(gozer.first?.shipmentNotice, "\(gozer.first?.rejection.map { "\($0.diagnostics)" } ?? "")")
        #expect(notice.lines.map(\.item.sku) == ["WID-100", "WID-200"])
        #expect(notice.lines.map(\.baseQuantity?.value) == [ExactDecimal(24), ExactDecimal(6)])
        #expect(
            Set(notice.warnings.map(\.code)) == [.checkDigit, .x12Envelope, .weightUnqualified, .timeFromRecorded],
            "lowered by the profile, still reported; TD1's A3 weight is neither gross nor net; no zone for its times")

        let two = TestNetwork.normalize(try TestSupport.bytes("Tests/Fixtures/corpus/x12/stupidedi/002001/SH856/fail/1.edi"), snapshot: TestNetwork.corpus)
        #expect(two.count == 2)
        #expect(two.compactMap(\.shipmentNotice).map(\.lines.count) == [4, 2], "\(two.compactMap(\.rejection).map(\.diagnostics))")
        #expect(two.compactMap(\.shipmentNotice).allSatisfy { $0.shipTo.id == "DC-CLT" })

        let mixed = TestNetwork.normalize(try TestSupport.bytes("Tests/Fixtures/corpus/x12/stupidedi/004010/SH856/fail/2.edi"), snapshot: TestNetwork.corpus)
        let third = try #require(mixed.first?.shipmentNotice, "\(mixed.first?.rejection.map { "\($0.diagnostics)" } ?? "")")
        #expect(third.shipTo.id == "DC-PHX")
        #expect(third.lines.first?.item.sku == "C0355UCAD8" && third.lines.first?.baseQuantity?.value == ExactDecimal(40))
    }
}
