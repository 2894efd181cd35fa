import Formats
import Foundation
import MasterData
import Model
import Normalize
import TestSupport
import Testing

/// What the EDI standards say a partner's values mean, read without inventing or changing one:
/// IFTSTA consignments and Rec 24 status codes, times and their zones, six-digit dates, values kept
/// under a lowered severity.
@Suite("Faithful reading")
struct FaithfulReadingTests {
    /// The reference network with ACME's profile lowering `code` to a warning.
    static func acmeLowering(_ code: String) throws -> MasterDataSnapshot {
        try TestNetwork.editedNetwork { folder in
            let profile = folder.appendingPathComponent("partners/acme-industrial.yaml")
            try (try String(contentsOf: profile, encoding: .utf8) + "severity: {\(code): warning}\n").write(
                to: profile, atomically: false, encoding: .utf8)
        }
    }

    static func iftsta(_ body: String, sender: String = "DHLF") -> [UInt8] {
        let segments = body.split(separator: "'").count + 2
        return Array("UNB+UNOC:3+\(sender):ZZZ+X:14+261122:1030+1'UNH+1+IFTSTA:D:01B:UN'\(body)UNT+\(segments)+1'UNZ+1+1'".utf8)
    }

    static func events(_ outcomes: [Outcome]) -> [CloudEvent<CarrierStatus>] {
        outcomes.compactMap { if case .event(.carrierStatus(let event)) = $0 { event } else { nil } }
    }

    @Test("IFTSTA: each status belongs to its own consignment (CNI), with that consignment's references")
    func consignments() throws {
        let body = "BGM+77+ST-1+9'CNI+1+CONS-A'RFF+CU:SHIP-A'STS+1+13'DTM+334:202611220615?+0100:205'"
            + "CNI+2+CONS-B'STS+1+21'DTM+334:202611230900?+0100:205'STS+1+20'DTM+334:202611231000?+0100:205'"
            + "CNI+3'RFF+CW:PKG-C'STS+1+24'DTM+334:202611231100?+0100:205'"
        let outcomes = TestNetwork.normalize(Self.iftsta(body), source: .carrier)
        let events = Self.events(outcomes)
        try #require(events.count == 4, "\(outcomes)")
        #expect(events.map(\.data.trackingNumber) == ["CONS-A", "CONS-B", "CONS-B", "PKG-C"], "RFF+CW is the package number")
        #expect(events.map(\.data.status) == [.pickedUp, .delivered, .delayed, .departed])
        #expect(events.map(\.subject) == ["DHLF:CONS-A", "DHLF:CONS-B", "DHLF:CONS-B", "DHLF:PKG-C"])
        #expect(events[0].data.shipmentReference == "SHIP-A" && events[1].data.shipmentReference == nil)
        #expect(events[0].data.references == [Reference(qualifier: "CU", value: "SHIP-A")])
        #expect(events[1].data.references.isEmpty)
    }

    @Test("IFTSTA: C601 codes, a carrier's own code list, DTM+78, a missing date is an EDIFACT finding")
    func statusCodes() throws {
        // A code in C601 alone is read; DTM+78 dates the status.
        let c601 = Self.events(TestNetwork.normalize(Self.iftsta("CNI+1+T-1'STS+21'DTM+78:202611220615?+0100:205'"), source: .carrier))
        #expect(c601.map(\.data.statusCode) == ["21"] && c601.map(\.data.status) == [.delivered])
        #expect(c601.first?.time.description == "2026-11-22T06:15:00+01:00")
        // A code of the carrier's own list (agency ZZZ) is not read as a Rec 24 code.
        let own = TestNetwork.normalize(Self.iftsta("CNI+1+T-1'STS+1+21::ZZZ'DTM+334:202611220615?+0100:205'"), source: .carrier)
        #expect(own.first?.rejection?.code == .codeUnmapped, "\(own)")
        // No date: EDIFACT_SYNTAX, not an X12 code.
        let undated = TestNetwork.normalize(Self.iftsta("CNI+1+T-1'STS+1+21'"), source: .carrier)
        #expect(undated.first?.rejection?.code == .edifactSyntax, "\(undated)")
    }

    @Test("every row of the IFTSTA status table has its name in UN/ECE Recommendation 24")
    func rec24() throws {
        let text = try String(contentsOf: TestSupport.path("Tests/Fixtures/codelists/rec24-status-codes.tsv"), encoding: .utf8)
        var names: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# reasons") { break }
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 2 { names[String(fields[0])] = String(fields[1]) }
        }
        #expect(names.count > 300)
        for row in CarrierStatusTable.rec24 {
            #expect(names[row.code] == row.name, "code \(row.code)")
        }
        #expect(CarrierStatusTable.edifact["1"] == .arrived, "1 is arrival completed")
        #expect(CarrierStatusTable.edifact["6"] == .tendered, "6 is booking completed")
        #expect(CarrierStatusTable.edifact["21"] == .delivered)
    }

    @Test("a time without a usable zone is never stamped UTC: LT, no code, and no zone known")
    func localTimes() throws {
        // ODFL sends AT7 times in local time and has no timeZone (it spans several).
        let lt = TestNetwork.normalize(CarrierTests.x12([("AF", [])]).replacing("*1430*ET".utf8, with: "*1430*LT".utf8), source: .carrier)
        let event = try #require(Self.events(lt).first, "\(lt)")
        #expect(event.data.occurredAtLocal == "2026-07-15T14:30:00")
        #expect(event.data.warnings.map(\.code) == [.timeZoneUnknown])
        #expect(event.time == TestNetwork.recorded, "the event time falls back to the processing time")
        let bytes = String(decoding: lt[0].jsonBytes(), as: UTF8.self)
        #expect(!bytes.contains("2026-07-15T14:30:00Z") && !bytes.contains("14:30:00+00:00"))
        // ET is a region: daylight saving by IANA rules.
        let et = Self.events(TestNetwork.normalize(CarrierTests.x12([("AF", [])]), source: .carrier))
        #expect(et.first?.time.description == "2026-07-15T14:30:00-04:00")
        #expect(et.first?.data.occurredAtLocal == nil && et.first?.data.warnings == [])
    }

    @Test("an 856's expected arrival without a time code is read in the ship-to site's zone")
    func siteZone() throws {
        let body = X12Builder.body(extraShipment: ["DTM*017*20260715*1400", "DTM*011*20260710*0800*LT"])
        let outcomes = TestNetwork.normalize(X12Builder().interchange([body]))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.expectedArrivalAt?.description == "2026-07-15T14:00:00-04:00", "DC-ATL is America/New_York")
        #expect(notice.shippedAt?.description == "2026-07-10T08:00:00-05:00", "ACME's zone is America/Chicago")
        #expect(notice.warnings.isEmpty)
    }

    @Test("six-digit dates get their century by the sliding window, never 20YY")
    func sixDigitDates() throws {
        let body = X12Builder.body(bsn: "BSN*00*ASN-T1*971230*0915", extraShipment: ["DTM*011*971231*1200*UT"])
        let outcomes = TestNetwork.normalize(X12Builder().interchange([body]))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.shippedAt?.description == "1997-12-31T12:00:00Z")
        #expect(outcomes.first?.eventTime?.description == "1997-12-31T12:00:00Z")
    }

    @Test("a value kept under a lowered CHECK_DIGIT is kept, not dropped")
    func checkDigitWarning() throws {
        let snapshot = try Self.acmeLowering("CHECK_DIGIT")
        let body = X12Builder.body(levels: [
            "HL*3*2*P", "MAN*GM*006141410000000013", "HL*4*3*I", "LIN*1*UK*00614141000029*VP*AC-1", "SN1**2*CA",
        ])
        let outcomes = TestNetwork.normalize(X12Builder().interchange([body]), snapshot: snapshot)
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.handlingUnits.map(\.sscc) == ["006141410000000013"])
        #expect(notice.lines.map(\.handlingUnit) == ["006141410000000013"])
        #expect(notice.warnings.map(\.code) == [.checkDigit])
    }
}

extension FaithfulReadingTests {
    static func desadv(_ body: String) -> [UInt8] {
        let head = "BGM+351+DA-T1+9'NAD+SU+4012345000009::9'NAD+DP+0614141000043::9'"
        let segments = (head + body).split(separator: "'").count + 2
        return Array("UNB+UNOC:3+4012345000009:14+0614141000012:14+261121:0815+1'UNH+1+DESADV:D:96A:UN:EAN005'\(head)\(body)UNT+\(segments)+1'UNZ+1+1'".utf8)
    }

    @Test("DESADV: each PAC keeps its packaging and weight, totals count the top levels, PIA batch and serial, line orders")
    func desadvPackages() throws {
        let body = "MEA+WT+AAD+KGM:812,5'"
            + "CPS+1'PAC+2++201'"
            + "CPS+2+1'PAC+1++201'MEA+PD+AAB+KGM:263.2'PCI+33E'GIN+BJ+006141410000110018'PAC+20++CT'"
            + "LIN+1++00614141000067:SRV'PIA+1+CH-1:NB+S-1:SN'MEA+WT+AAA+KGM:250'QTY+12:250:KGM'RFF+ON:PO-LINE-1'"
            + "CPS+3+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110025'"
            + "LIN+2++00614141000067:SRV'QTY+12:50:KGM'"
        let outcomes = TestNetwork.normalize(Self.desadv(body.replacingOccurrences(of: "812,5", with: "812.5")))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.handlingUnits.map(\.packaging) == ["201", "201"], "the cartons' PAC does not repackage the pallet")
        #expect(notice.handlingUnits.first?.grossWeight == Quantity(ExactDecimal("263.2")!, "KGM"))
        #expect(notice.handlingUnits.last?.grossWeight == nil)
        #expect(notice.totals?.handlingUnits == 2, "the PAC of the level without a parent")
        #expect(notice.totals?.grossWeight == Quantity(ExactDecimal("812.5")!, "KGM"))
        #expect(notice.lines.first?.item.lot == "CH-1" && notice.lines.first?.serials == ["S-1"])
        #expect(notice.lines.first?.netWeight == Quantity(ExactDecimal(250), "KGM"))
        #expect(notice.lines.first.map { $0.item.supplierItem == nil && $0.item.buyerItem == nil } == true, "NB and SN are no product ids")
        #expect(notice.orders == ["PO-LINE-1"], "an order named only on a line is an order of the notice")
        // A flat list of levels counts every level's packages.
        let flat = "CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'QTY+12:250:KGM'"
            + "CPS+2'PAC+1++201'PCI+33E'GIN+BJ+006141410000110025'LIN+2++00614141000067:SRV'QTY+12:50:KGM'"
        let flatNotice = try #require(TestNetwork.normalize(Self.desadv(flat)).first?.shipmentNotice)
        #expect(flatNotice.totals?.handlingUnits == 2)
    }

    @Test("the interchange sender decides who sent it; a partner sends only what its profile allows")
    func partners() throws {
        // GS02 names another partner than the ISA sender: not credited to either.
        var builder = X12Builder()
        let text = String(decoding: builder.interchange([X12Builder.body()]), as: UTF8.self)
            .replacingOccurrences(of: "GS*SH*ACMEIND*", with: "GS*SH*ODFL*")
        let mixed = TestNetwork.normalize(Array(text.utf8))
        #expect(mixed.first?.rejection?.code == .partnerMismatch, "\(mixed)")
        // The ISA sender decides over a GS02 no profile knows.
        let vendorCode = String(decoding: builder.interchange([X12Builder.body()]), as: UTF8.self)
            .replacingOccurrences(of: "GS*SH*ACMEIND*", with: "GS*SH*ACME-APP*")
        #expect(TestNetwork.normalize(Array(vendorCode.utf8)).first?.shipmentNotice?.supplier.id == "ACME-INDUSTRIAL")
        // A carrier sends no ship notice.
        builder.sender = "ODFL"
        let fromCarrier = TestNetwork.normalize(builder.interchange([X12Builder.body()]))
        #expect(fromCarrier.first?.rejection?.code == .partnerFormat, "\(fromCarrier)")
        // A qualified identifier matches that qualifier only.
        let snapshot = try TestNetwork.editedNetwork { folder in
            let profile = folder.appendingPathComponent("partners/acme-industrial.yaml")
            let text = try String(contentsOf: profile, encoding: .utf8).replacingOccurrences(of: #"x12: ["ACMEIND"]"#, with: #"x12: ["01:ACMEIND"]"#)
            try text.write(to: profile, atomically: false, encoding: .utf8)
        }
        let zzText = String(decoding: X12Builder().interchange([X12Builder.body()]), as: UTF8.self)
            .replacingOccurrences(of: "GS*SH*ACMEIND*", with: "GS*SH*ACME-APP*")
        let zz = TestNetwork.normalize(Array(zzText.utf8), snapshot: snapshot)
        #expect(zz.first?.rejection?.code == .partnerUnknown, "ISA05 is ZZ, the profile names 01")
        // A group sender names the partner by its id, whatever qualifier the profile gives the interchange's.
        let byGroup = TestNetwork.normalize(X12Builder().interchange([X12Builder.body()]), snapshot: snapshot)
        #expect(byGroup.first?.shipmentNotice?.supplier.id == "ACME-INDUSTRIAL", "GS02 ACMEIND")
        let qualified = String(decoding: X12Builder().interchange([X12Builder.body()]), as: UTF8.self)
            .replacingOccurrences(of: "*ZZ*ACMEIND", with: "*01*ACMEIND")
        #expect(TestNetwork.normalize(Array(qualified.utf8), snapshot: snapshot).first?.shipmentNotice?.supplier.id == "ACME-INDUSTRIAL")
    }
}

extension FaithfulReadingTests {
    @Test("856 shapes: items at the pack level, lots on ZZ levels under them; what was found when there is no item")
    func shapes() throws {
        // A retailer's perishable layout: S-O-T-P-ZZ, the item on P (no SSCC of its own), its lots on ZZ.
        let levels = [
            "HL*3*2*T", "MAN*GM*006141410000000012",
            "HL*4*3*P", "LIN**IN*B-1*UK*00614141000029", "SN1**5*CA",
            "HL*5*4*ZZ", "LIN**LT*LOT-A", "SN1**3*CA",
            "HL*6*4*ZZ", "LIN**LT*LOT-B", "SN1**2*CA",
            "HL*7*3*P", "LIN**UK*00614141000036", "SN1**4*CA", "MEA*PD*G*12.5*LB",
        ]
        let outcomes = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: levels)]))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.lines.map(\.item.lot) == ["LOT-A", "LOT-B", nil])
        #expect(notice.lines.map(\.quantity.value) == [ExactDecimal(3), ExactDecimal(2), ExactDecimal(4)])
        #expect(notice.lines.map(\.item.gtin) == ["00614141000029", "00614141000029", "00614141000036"])
        #expect(notice.lines.map(\.item.buyerItem) == ["B-1", "B-1", nil])
        #expect(notice.lines.allSatisfy { $0.handlingUnit == "006141410000000012" }, "the pallet above them")
        #expect(notice.lines.last?.grossWeight == Quantity(ExactDecimal("12.5")!, "LBR"))
        // No item anywhere: the rejection says what the 856 holds.
        let empty = TestNetwork.normalize(X12Builder().interchange([X12Builder.body(levels: ["HL*3*2*T", "MAN*GM*006141410000000012"])]))
        let message = try #require(empty.first?.rejection?.diagnostics.first { $0.message.contains("no item lines") }?.message, "\(empty)")
        #expect(message.contains("HL levels S ×1, O ×1, T ×1; no LIN at any level"), "\(message)")
    }
}

extension FaithfulReadingTests {
    @Test("JSON identifiers sent as whole numbers are read as their digits; 1.0 and 1e3 are not identifiers")
    func numericIdentifiers() throws {
        let sample = String(decoding: try TestSupport.bytes("examples/samples/brightlite-asn.json"), as: UTF8.self)
        let numeric = sample.replacingOccurrences(of: #""poLine": "1""#, with: #""poLine": 1"#)
            .replacingOccurrences(of: #""poNumber": "PO-77120""#, with: #""poNumber": 77120"#)
        let notice = try #require(TestNetwork.normalize(Array(numeric.utf8)).first?.shipmentNotice)
        #expect(notice.lines.map(\.poLine) == ["1", "1"] && notice.lines.map(\.poNumber) == ["77120", "77120"])
        for ambiguous in ["1.0", "1e3", "-1"] {
            let bad = sample.replacingOccurrences(of: #""poLine": "1""#, with: #""poLine": \#(ambiguous)"#)
            let outcome = TestNetwork.normalize(Array(bad.utf8)).first
            #expect(outcome?.rejection?.code == .jsonInvalid, "\(ambiguous)")
        }
        // The published input schema accepts the same.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-asn-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(numeric.utf8).write(to: file)
        let result = try TestSupport.validateSchemas(["input", "asn", TestSupport.path("Schemas").path, file.path])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a bad check digit is CHECK_DIGIT in a scan as in a ship notice")
    func checkDigitCode() throws {
        for barcode in ["]C10100614141000028", "(01)00614141000028", "00614141000028", "https://id.gs1.org/01/00614141000028"] {
            guard case .failure(let diagnostic) = GS1Barcode.read(barcode) else {
                Issue.record("\(barcode) was read")
                continue
            }
            #expect(diagnostic.code == .checkDigit, "\(barcode): \(diagnostic)")
        }
    }
}

extension FaithfulReadingTests {
    static func x12_214(_ body: [String], version: String = "004010", isaVersion: String = "00401") -> [UInt8] {
        var text = "ISA*00*          *00*          *ZZ*ODFL           *ZZ*CROSSDOCK      *261120*0915*U*\(isaVersion)*000000031*0*P*>~\n"
        text += "GS*QM*ODFL*CROSSDOCK*20261122*1010*31*X*\(version)~\nST*214*0001~\n"
        for segment in body { text += segment + "~\n" }
        text += "SE*\(body.count + 2)*0001~\nGE*1*31~\nIEA*1*000000031~\n"
        return Array(text.utf8)
    }

    @Test("214: an LX's L11 belongs to each of its statuses; an appointment is not a status time; 3070 AT7 layout")
    func x12StatusShapes() throws {
        let body = [
            "B10*PRO1*SHIP-1*ODFL", "L11*BOL-1*BM",
            "LX*1", "AT7*X3*NS***20260715*0800*ET", "AT7***AB*NA*20260716*1400*ET", "L11*DEL-9*DO",
            "LX*2", "AT7*D1*NS***20260716*1410*ET",
        ]
        let outcomes = TestNetwork.normalize(Self.x12_214(body), source: .carrier)
        let events = Self.events(outcomes)
        try #require(events.count == 3, "\(outcomes)")
        #expect(events.map(\.data.statusCode) == ["X3", "AB", "D1"])
        #expect(events.map(\.data.status) == [.tendered, .etaUpdated, .delivered])
        #expect(events[0].data.references.map(\.value) == ["BOL-1", "DEL-9"] && events[1].data.references.map(\.value) == ["BOL-1", "DEL-9"])
        #expect(events[2].data.references.map(\.value) == ["BOL-1"])
        #expect(events[1].data.appointmentAt?.description == "2026-07-16T14:00:00-04:00")
        #expect(events[1].data.estimatedDeliveryAt?.description == "2026-07-16T14:00:00-04:00", "a delivery appointment is the expected delivery")
        #expect(events[1].time == TestNetwork.recorded, "an appointment's date is not when the status happened")
        #expect(events[2].data.shipmentReference == "SHIP-1")
        // Version 003070: AT705 YYMMDD, AT706 century, AT707 time, AT708 time code.
        let old = TestNetwork.normalize(Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "LX*1", "AT7*D1*NS***970715*19*1410*CT"], version: "003070", isaVersion: "00307"), source: .carrier)
        #expect(Self.events(old).first?.time.description == "1997-07-15T14:10:00-05:00", "\(old)")
    }
}

extension FaithfulReadingTests {
    @Test("a cut-short interchange is rejected even when the partner lowers the envelope codes")
    func truncation() throws {
        let snapshot = try Self.acmeLowering("X12_ENVELOPE")
        let whole = String(decoding: X12Builder().interchange([X12Builder.body()]), as: UTF8.self)
        // Cut in the middle of the last item's SN1, and at a segment boundary before SE.
        for cut in [whole.range(of: "SN1**2*C")!.upperBound, whole.range(of: "SE*")!.lowerBound] {
            let outcomes = TestNetwork.normalize(Array(whole[..<cut].utf8), snapshot: snapshot)
            #expect(outcomes.count == 1 && outcomes.first?.rejection?.code == .x12Syntax, "\(outcomes)")
        }
        // A partner's miscount stays its severity's to decide.
        let miscount = whole.replacingOccurrences(of: "GE*1*101", with: "GE*2*101")
        #expect(TestNetwork.normalize(Array(miscount.utf8), snapshot: snapshot).first?.shipmentNotice != nil)
    }
}

extension FaithfulReadingTests {
    @Test("IFTSTA: the status's place is LOC+175, a route's DTMs are its places', a goods item's SSCCs are the status's")
    func iftstaRoute() throws {
        let body = "CNI+1+C-1'STS+1+24'DTM+334:202611220710?+0100:205'LOC+175+DEHAM:139:6:Hamburg'TDT+20++1'"
            + "LOC+9+DEHAM:139:6'DTM+186:202611220700?+0100:205'LOC+11+USNYC:139:6'DTM+132:202611290600?+0100:205'"
            + "LOC+7+USDEN:139:6:Denver'DTM+132:202612020700?+0100:205'GID+1'PCI+33E'GIN+BJ+006141410000110018'"
        let events = Self.events(TestNetwork.normalize(Self.iftsta(body), source: .carrier))
        let event = try #require(events.first)
        #expect(event.data.location == StatusLocation(city: "Hamburg", country: "DE", code: "DEHAM"))
        #expect(event.time.description == "2026-11-22T07:10:00+01:00", "DTM+186 at the loading port is not the status's time")
        #expect(event.data.estimatedDeliveryAt?.description == "2026-12-02T07:00:00+01:00", "the ETA at the place of delivery, not at the port")
        #expect(event.data.handlingUnits == ["006141410000110018"])
    }

    @Test("856 values checked against their qualifiers: TD106, TD503, MAN*SM, X12 decimals; DESADV NAD+SH")
    func qualifiers() throws {
        let body = X12Builder.body(
            extraShipment: ["TD1*CTN*5****N*.5*LB", "TD5*B*2*UPS NxtDay Air*M"],
            levels: ["HL*3*2*P", "MAN*SM*1Z54242X0357922222", "HL*4*3*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
        let outcomes = TestNetwork.normalize(X12Builder().interchange([body]))
        let notice = try #require(outcomes.first?.shipmentNotice, "\(outcomes)")
        #expect(notice.totals?.grossWeight == nil && notice.totals?.netWeight == Quantity(ExactDecimal("0.5")!, "LBR"), "TD106 N with .5")
        #expect(notice.carrier?.scac == nil && notice.warnings.map(\.code).contains(.fieldNotUsed), "TD503 is no SCAC")
        #expect(notice.handlingUnits.isEmpty && notice.references?.other.contains(Reference(qualifier: "SM", value: "1Z54242X0357922222")) == true)
        #expect(notice.lines.first?.handlingUnit == nil)
        let desadv = Self.desadv("NAD+SH+4012345000016::9'CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'QTY+12:250:KGM'")
        #expect(TestNetwork.normalize(desadv).first?.shipmentNotice?.shipFrom?.gln == "4012345000016")
    }

    @Test("contradictions are rejected: two BSN, one SSCC on two units, a GTIN and a supplier item naming two items")
    func contradictions() throws {
        let twoBSN = X12Builder.body(extraShipment: ["BSN*05*ASN-OTHER*20261120*0915"])
        #expect(TestNetwork.normalize(X12Builder().interchange([twoBSN])).first?.rejection?.code == .x12Syntax)
        let sameSSCC = X12Builder.body(levels: [
            "HL*3*2*P", "MAN*GM*006141410000000012", "HL*4*3*I", "LIN*1*UK*00614141000029", "SN1**1*CA",
            "HL*5*2*P", "MAN*GM*006141410000000012", "HL*6*5*I", "LIN*2*UK*00614141000036", "SN1**1*CA",
        ])
        #expect(TestNetwork.normalize(X12Builder().interchange([sameSSCC])).first?.rejection?.code == .valueConflict)
        // AC-7781 is WID-100 in ACME's profile; GTIN ...029 is WID-200.
        let twoItems = X12Builder.body(levels: ["HL*3*2*I", "LIN*1*UK*00614141000029*VP*AC-7781", "SN1**1*CA"])
        #expect(TestNetwork.normalize(X12Builder().interchange([twoItems])).first?.rejection?.code == .valueConflict)
    }

    @Test("inferred centuries and times in a daylight-saving change carry a warning")
    func inferredTimes() throws {
        let body = X12Builder.body(bsn: "BSN*00*ASN-T1*971230*0915", extraShipment: ["DTM*011*20261101*0130"])
        let notice = try #require(TestNetwork.normalize(X12Builder().interchange([body])).first?.shipmentNotice)
        // 01:30 on 2026-11-01 occurs twice in America/Chicago (ACME's zone).
        #expect(notice.warnings.map(\.code).contains(.timeAmbiguous), "\(notice.warnings)")
        let old = X12Builder.body(extraShipment: ["DTM*011*971231*1200*UT"])
        let oldNotice = try #require(TestNetwork.normalize(X12Builder().interchange([old])).first?.shipmentNotice)
        #expect(oldNotice.warnings.map(\.code).contains(.centuryAssumed))
    }

    @Test("a ship-to GLN with a wrong check digit under a lowered CHECK_DIGIT is still looked up, and the notice says why it fails")
    func shipToCheckDigit() throws {
        let snapshot = try Self.acmeLowering("CHECK_DIGIT")
        let body = X12Builder.body(shipTo: "N1*ST*RECEIVING*UL*0614141000013")
        let rejection = try #require(TestNetwork.normalize(X12Builder().interchange([body]), snapshot: snapshot).first?.rejection)
        #expect(rejection.code == .glnUnknown, "\(rejection.diagnostics)")
    }
}

extension FaithfulReadingTests {
    @Test("DESADV contradictions: two quantities, batches, expiries or orders on a line; a CPS tree that is no tree; two delivery parties")
    func desadvContradictions() throws {
        let line = "CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'"
        for body in [
            line + "QTY+12:250:KGM'QTY+12:260:KGM'", line + "QTY+12:250:KGM'PIA+1+L1:NB'GIN+BX+L2'",
            line + "QTY+12:250:KGM'DTM+361:20271231:102'DTM+361:20281231:102'", line + "QTY+12:250:KGM'RFF+ON:PO-1:3'RFF+ON:PO-2:4'",
            "NAD+ST+0614141000012::9'" + line + "QTY+12:250:KGM'",
        ] {
            let outcome = TestNetwork.normalize(Self.desadv(body)).first
            #expect(outcome?.rejection?.code == .valueConflict, "\(body): \(String(describing: outcome?.rejection?.diagnostics))")
        }
        let unit = "PAC+1++201'PCI+33E'GIN+BJ+"
        let item = "LIN+1++00614141000067:SRV'QTY+12:250:KGM'"
        for (body, code) in [
            ("CPS+1'\(unit)006141410000110018'CPS+2+1'\(unit)006141410000110018'\(item)", DiagnosticCode.valueConflict),
            ("CPS+1+2'\(unit)006141410000110018'CPS+2+1'\(unit)006141410000110025'\(item)", .valueConflict),
            ("CPS+1'\(unit)006141410000110018'CPS+2+7'\(unit)006141410000110025'\(item)", .edifactSyntax),
            ("CPS+1'\(unit)006141410000110018'CPS+1'\(unit)006141410000110025'\(item)", .edifactSyntax),
        ] {
            let outcome = TestNetwork.normalize(Self.desadv(body)).first
            #expect(outcome?.rejection?.code == code, "\(body): \(String(describing: outcome?.rejection?.diagnostics))")
        }
    }

    @Test("an 856 of two shipments, or whose order ships elsewhere, is rejected; 214 status placed twice")
    func x12Contradictions() throws {
        let twoShipments = X12Builder.body(levels: ["HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**1*CA", "HL*4**S", "N1*ST*CLT*UL*0614141000029"])
        #expect(TestNetwork.normalize(X12Builder().interchange([twoShipments])).first?.rejection?.code == .x12Syntax)
        let orderElsewhere = X12Builder.body(levels: ["N1*ST*CLT*UL*0614141000029", "HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**1*CA"])
        #expect(TestNetwork.normalize(X12Builder().interchange([orderElsewhere])).first?.rejection?.code == .valueConflict)
        let lots = X12Builder.body(levels: [
            "HL*3*2*P", "LIN**UK*00614141000029", "SN1**12*CA", "HL*4*3*ZZ", "LIN**LT*A", "SN1**5*CA", "HL*5*3*ZZ", "LIN**LT*B", "SN1**9*CA",
        ])
        #expect(TestNetwork.normalize(X12Builder().interchange([lots])).first?.rejection?.code == .valueConflict, "12 shipped, lots of 14")
        let placedTwice = Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "LX*1", "AT7*X1*NS***20260715*1400*ET", "MS1*ATLANTA*GA", "MS1*DENVER*CO"])
        #expect(TestNetwork.normalize(placedTwice, source: .carrier).first?.rejection?.code == .valueConflict)
        // A status's own estimate is not replaced by the message's G62.
        let estimate = Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "G62*17*20260720*X*1700*ET", "LX*1", "AT7*AG*NS***20260718*1400*ET"])
        #expect(Self.events(TestNetwork.normalize(estimate, source: .carrier)).first?.data.estimatedDeliveryAt?.description == "2026-07-18T14:00:00-04:00")
    }

    @Test("scans: no quantity is one unit with a warning; one batch has one sender; a leap second is refused")
    func scanRules() throws {
        let receive = String(decoding: try TestSupport.bytes("examples/samples/dc-atl-receive.json"), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(receive.utf8)) as? [String: Any])
        // A GTIN scanned with no count: one of the item, said so.
        var noQuantity = object
        noQuantity["barcode"] = "]C10100614141000012"
        let bytes = try JSONSerialization.data(withJSONObject: noQuantity)
        let outcome = TestNetwork.normalize(Array(bytes), source: .scan).first
        guard case .event(.inventoryEvent(let event)) = outcome else {
            Issue.record("\(String(describing: outcome))")
            return
        }
        #expect(event.data.quantity?.value == .one && event.data.warnings.map(\.code).contains(.valueDefaulted), "\(event.data.warnings)")
        var other = object
        other["gateway"] = "dc-den-rf"
        other["site"] = "DC-DEN"
        let batch = try JSONSerialization.data(withJSONObject: ["scans": [object, other]])
        let outcomes = TestNetwork.normalize(Array(batch), source: .scan)
        #expect(outcomes.count == 2 && outcomes[1].rejection?.code == .partnerMismatch, "\(outcomes)")
        #expect(Timestamp(rfc3339: "2026-12-01T23:59:60-05:00") == nil)
        // A scan's time must name an instant: -00:00 (offset unknown) is refused, not read as UTC,
        // alone and in a batch.
        var unknownOffset = object
        unknownOffset["scannedAt"] = "2026-11-26T10:02:44-00:00"
        for value in [unknownOffset, ["scans": [unknownOffset]] as [String: Any]] {
            let data = try JSONSerialization.data(withJSONObject: value)
            let rejection = TestNetwork.normalize(Array(data), source: .scan).first?.rejection
            #expect(rejection?.code == .jsonInvalid && rejection?.diagnostics.first?.message.contains("-00:00") == true, "\(String(describing: rejection))")
        }
    }
}

extension FaithfulReadingTests {
    @Test("the same fact written twice, or differently, is no contradiction; ranges are not read, not refused")
    func sameFacts() throws {
        let line = "CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'"
        for body in [
            line + "QTY+12:250:KGM'QTY+12:250.0:KGM'", line + "QTY+12:250:KGM'RFF+ON:PO-1'RFF+ON:PO-1:3'",
            "DTM+17:20261201:102'DTM+17:202612011400:203'" + line + "QTY+12:250:KGM'",
            "DTM+2:2026120120261203:718'" + line + "QTY+12:250:KGM'",
        ] {
            let outcome = TestNetwork.normalize(Self.desadv(body)).first
            #expect(outcome?.shipmentNotice != nil, "\(body): \(String(describing: outcome?.rejection?.diagnostics))")
        }
        #expect(TestNetwork.normalize(Self.desadv("BGM+351+DA-T2+9'" + line + "QTY+12:250:KGM'")).first?.rejection?.code == .edifactSyntax)
        // A mixed pallet repeated under each of its orders is one unit.
        let mixed = X12Builder.body(levels: [
            "HL*3*2*T", "MAN*GM*006141410000000012", "HL*4*3*I", "LIN*1*UK*00614141000029", "SN1**1*CA",
            "HL*5*1*O", "PRF*PO-2", "HL*6*5*T", "MAN*GM*006141410000000012", "HL*7*6*I", "LIN*2*UK*00614141000036", "SN1**1*CA",
        ])
        let notice = try #require(TestNetwork.normalize(X12Builder().interchange([mixed])).first?.shipmentNotice)
        #expect(notice.handlingUnits.map(\.sscc) == ["006141410000000012"] && notice.orders == ["PO-1", "PO-2"])
    }

    @Test("times and places no instant or point can be made of: a leap second, -00:00, MS1 without directions; G62 after an appointment")
    func unresolvable() throws {
        let leap = X12Builder.body(extraShipment: ["DTM*011*20261231*235960*UT"])
        #expect(TestNetwork.normalize(X12Builder().interchange([leap])).first?.rejection?.code == .x12Syntax)
        let sample = String(decoding: try TestSupport.bytes("examples/samples/brightlite-asn.json"), as: UTF8.self)
            .replacingOccurrences(of: "2026-11-21T14:30:00-05:00", with: "2026-11-21T14:30:00-00:00")
        let notice = try #require(TestNetwork.normalize(Array(sample.utf8)).first?.shipmentNotice)
        #expect(notice.shippedAt == nil && notice.shippedAtLocal == "2026-11-21T14:30:00", "-00:00 is an unknown offset, not UTC")
        let undirected = Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "LX*1", "AT7*X1*NS***20260715*1400*ET", "MS1*ATLANTA*GA**0842300*0334500"])
        let status = try #require(Self.events(TestNetwork.normalize(undirected, source: .carrier)).first)
        #expect(status.data.location?.latitude == nil && status.data.warnings.map(\.code).contains(.fieldNotUsed))
        let appointment = Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "G62*17*20260720*X*1700*ET", "LX*1", "AT7***AB*NA*20260716*1400*ET"])
        #expect(Self.events(TestNetwork.normalize(appointment, source: .carrier)).first?.data.estimatedDeliveryAt?.description == "2026-07-16T14:00:00-04:00")
        let fractional = X12Builder.body(extraShipment: ["TD1*CTN*2.5****G*10*LB"])
        let partial = try #require(TestNetwork.normalize(X12Builder().interchange([fractional])).first?.shipmentNotice)
        #expect(partial.totals?.handlingUnits != 2 && partial.warnings.map(\.code).contains(.fieldNotUsed))
    }
}

extension FaithfulReadingTests {
    @Test("DESADV sub-lines (LIN C829) split their parent by batch: counted once, their product from the parent")
    func desadvSubLines() throws {
        let head = "CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'QTY+12:250:KGM'"
        let split = head + "LIN+2+++1:1'PIA+1+L1:NB'QTY+12:100:KGM'LIN+3++00614141000067:SRV+1:1'PIA+1+L2:NB'QTY+12:150:KGM'"
        let notice = try #require(TestNetwork.normalize(Self.desadv(split)).first?.shipmentNotice, "\(TestNetwork.normalize(Self.desadv(split)))")
        #expect(notice.lines.map(\.lineId) == ["2", "3"])
        #expect(notice.lines.map(\.quantity.value) == [ExactDecimal(100), ExactDecimal(150)])
        #expect(notice.lines.map(\.item.lot) == ["L1", "L2"])
        #expect(notice.lines.allSatisfy { $0.item.gtin == "00614141000067" })
        // Sub-lines that do not add up to their parent contradict it.
        let short = split.replacingOccurrences(of: "QTY+12:150:KGM", with: "QTY+12:140:KGM")
        #expect(TestNetwork.normalize(Self.desadv(short)).first?.rejection?.code == .valueConflict)
        // A parent without its own quantity takes its sub-lines'.
        let bare = split.replacingOccurrences(of: "LIN+1++00614141000067:SRV'QTY+12:250:KGM'", with: "LIN+1++00614141000067:SRV'")
        #expect(TestNetwork.normalize(Self.desadv(bare)).first?.shipmentNotice?.lines.count == 2)
    }
}

extension FaithfulReadingTests {
    @Test("more second statements: ship dates, status changes, equipment, marks; TD1s of several packagings")
    func secondStatements() throws {
        let line = "CPS+1'PAC+1++201'PCI+33E'GIN+BJ+006141410000110018'LIN+1++00614141000067:SRV'QTY+12:250:KGM'"
        #expect(TestNetwork.normalize(Self.desadv("DTM+11:20261201:102'DTM+11:20261202:102'" + line)).first?.rejection?.code == .valueConflict)
        let twoChanges = "CNI+1+C-1'STS+1+21'DTM+334:202611220710?+0100:205'DTM+334:202611230710?+0100:205'"
        #expect(TestNetwork.normalize(Self.iftsta(twoChanges), source: .carrier).first?.rejection?.code == .valueConflict)
        let twoTrailers = Self.x12_214(["B10*PRO1*SHIP-1*ODFL", "LX*1", "AT7*X1*NS***20260715*1400*ET", "MS2*ODFL*TRL1", "MS2*ODFL*TRL2"])
        #expect(TestNetwork.normalize(twoTrailers, source: .carrier).first?.rejection?.code == .valueConflict)
        let twoMarks = X12Builder.body(levels: [
            "HL*3*2*P", "MAN*GM*006141410000000012", "MAN*GM*006141410000000029", "HL*4*3*I", "LIN*1*UK*00614141000029", "SN1**1*CA",
        ])
        #expect(TestNetwork.normalize(X12Builder().interchange([twoMarks])).first?.rejection?.code == .valueConflict)
        let packagings = X12Builder.body(extraShipment: ["TD1*CTN25*10****G*100*LB", "TD1*PLT94*1****G*140*LB"])
        let notice = try #require(TestNetwork.normalize(X12Builder().interchange([packagings])).first?.shipmentNotice)
        #expect(notice.totals?.grossWeight == nil && notice.totals?.handlingUnits != 10, "neither TD1 is the shipment's total")
        #expect(notice.warnings.filter { $0.code == .fieldNotUsed }.count == 2)
    }
}

extension FaithfulReadingTests {
    @Test("a second place of activity, a buyer item naming another item, a second shipment weight contradict")
    func moreContradictions() throws {
        let twoPlaces = "CNI+1+C-1'STS+1+21'DTM+334:202611220710?+0100:205'LOC+175+DEHAM:139:6'LOC+175+USDEN:139:6'"
        #expect(TestNetwork.normalize(Self.iftsta(twoPlaces), source: .carrier).first?.rejection?.code == .valueConflict)
        // WID-100 is a sku of the network; GTIN ...029 is WID-200.
        let buyer = X12Builder.body(levels: ["HL*3*2*I", "LIN*1*UK*00614141000029*BP*WID-100", "SN1**1*CA"])
        #expect(TestNetwork.normalize(X12Builder().interchange([buyer])).first?.rejection?.code == .valueConflict)
        let weights = X12Builder.body(extraShipment: ["TD1*CTN25*10****G*100*LB", "MEA*PD*G*120*LB"])
        #expect(TestNetwork.normalize(X12Builder().interchange([weights])).first?.rejection?.code == .valueConflict)
    }
}
