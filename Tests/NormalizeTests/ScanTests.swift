import Formats
import Foundation
import MasterData
import Model
import Normalize
import TestSupport
import Testing

/// Scanner gateway messages against the reference network.
@Suite("Scan events")
struct ScanTests {
    /// A scan from DC-ATL's gateway; `fields` override or add members.
    static func scan(_ fields: [String: String], gateway: String = "dc-atl-rf") -> String {
        var members: [String: String] = [
            "gateway": "\"\(gateway)\"", "device": "\"rf-101\"", "operator": "\"op-7\"",
            "scannedAt": "\"2026-11-21T06:55:00-05:00\"", "action": "\"RCV\"", "location": "\"DOCK3\"",
            "barcode": "\"]C10100614141000029\"",
        ]
        for (key, value) in fields { members[key] = value }
        return "{" + members.sorted { $0.key < $1.key }.filter { $0.value != "null" }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func outcomes(_ json: String) -> [Outcome] { TestNetwork.normalize(Array(json.utf8), source: .scan) }

    static func event(_ json: String) throws -> InventoryEvent {
        let outcomes = Self.outcomes(json)
        try #require(outcomes.count == 1)
        guard case .event(.inventoryEvent(let event)) = outcomes[0] else {
            Issue.record("rejected: \(outcomes[0].rejection.map { "\($0.diagnostics)" } ?? "")")
            throw CancellationError()
        }
        return event.data
    }

    struct StepCase: Sendable, CustomTestStringConvertible {
        var action: String
        var location: String
        var toLocation: String? = nil
        var step: InventoryStep
        var from: StateRef?
        var to: StateRef?
        var testDescription: String { "\(action) at \(location)" }
    }

    static let steps: [StepCase] = [
        StepCase(action: "RCV", location: "DOCK3", step: .received, from: .outside, to: .state(.received)),
        StepCase(action: "PUT", location: "DC-ATL/STO/A01/01/A", step: .putaway, from: .state(.received), to: .state(.available)),
        StepCase(action: "MOV", location: "DC-ATL/STO/A01/01/A", toLocation: "DC-ATL/STO/A02/01/B", step: .moved, from: nil, to: nil),
        StepCase(action: "MOV", location: "DC-ATL/STO/A01/01/A", toLocation: "HOLD", step: .held, from: nil, to: .state(.onHold)),
        StepCase(action: "HLD", location: "HOLD", step: .held, from: nil, to: .state(.onHold)),
        StepCase(action: "REL", location: "HOLD", step: .released, from: .state(.onHold), to: .state(.available)),
        StepCase(action: "DMG", location: "DC-ATL/DMG/X01", step: .damaged, from: nil, to: .state(.damaged)),
        StepCase(action: "PCK", location: "DC-ATL/STO/A01/01/A", step: .reserved, from: .state(.available), to: .state(.reserved)),
        StepCase(action: "SHP", location: "DC-ATL/SHP/S01", step: .shipped, from: nil, to: .outside),
        StepCase(action: "CNT", location: "DC-ATL/STO/A03/02/C", step: .counted, from: nil, to: nil),
    ]

    @Test("every step of the table from DC-ATL's action codes", arguments: steps)
    func step(_ c: StepCase) throws {
        var fields = ["action": "\"\(c.action)\"", "location": "\"\(c.location)\""]
        if let to = c.toLocation { fields["toLocation"] = "\"\(to)\"" }
        let event = try Self.event(Self.scan(fields))
        #expect(event.step == c.step)
        #expect(event.stateChange?.from == c.from)
        #expect(event.stateChange?.to == c.to)
        #expect(event.bizStep == InventoryStateMachine.rows[c.step]!.bizStep)
        if let to = c.toLocation {
            #expect(event.toLocation?.id == Self.snapshotID(to, "DC-ATL") && event.location == event.toLocation)
            #expect(event.fromLocation?.id == c.location)
        }
        if c.step == .counted {
            #expect(event.countedQuantity == Quantity(.one, "EA") && event.stateChange == nil)
        }
    }

    static func snapshotID(_ code: String, _ site: String) -> String? { TestNetwork.reference.location(code: code, site: site)?.id }

    @Test("transfer receipt at the 3PL site, with its own codes and aliases")
    func transferReceived() throws {
        let event = try Self.event(Self.scan(["action": "\"TR\"", "location": "\"IN2\""], gateway: "highdesert-wms"))
        #expect(event.step == .transferReceived && event.stateChange == StateChange(from: .state(.inTransfer), to: .state(.received)))
        #expect(event.location.id == "3PL-RNO/RCV/D02")
    }

    @Test(
        "the alias styles of the three gateways resolve within their site",
        arguments: [("dc-atl-rf", "RCV", "DOCK1", "DC-ATL/RCV/D01"), ("dc-den-rf", "RECEIPT", "R-03", "DC-DEN/RCV/D03"), ("highdesert-wms", "GR", "IN4", "3PL-RNO/RCV/D04")])
    func aliases(gateway: String, action: String, alias: String, id: String) throws {
        let event = try Self.event(Self.scan(["action": "\"\(action)\"", "location": "\"\(alias)\""], gateway: gateway))
        #expect(event.location.id == id)
        #expect(event.location.path.last == id && event.location.site == String(id.prefix { $0 != "/" }))
    }

    @Test(
        "barcodes: GS1-128 with GS separators, DataMatrix, Digital Link, bracketed, plain GTIN",
        arguments: [
            "]C10100614141000036\u{1D}10LOT-7\u{1D}3004", "]d2010061414100003610LOT-7\u{1D}3004",
            "https://id.example.com/01/00614141000036/10/LOT-7?30=4", "(01)00614141000036(10)LOT-7(30)4",
        ])
    func barcodes(barcode: String) throws {
        let json = Self.scan(["barcode": "\"\(barcode.replacingOccurrences(of: "\u{1D}", with: "\\u001d"))\""])
        let event = try Self.event(json)
        #expect(event.item?.gtin == "00614141000036" && event.item?.sku == "GAS-050" && event.item?.lot == "LOT-7")
        #expect(event.quantity == Quantity(ExactDecimal(4), "EA"))
    }

    @Test("a plain GTIN-13 is one unit; an SSCC is a handling unit and the event's key")
    func plainKeys() throws {
        let one = try Self.event(Self.scan(["barcode": "\"0614141000036\""]))
        #expect(one.baseQuantity == Quantity(.one, "EA"))
        let outcomes = Self.outcomes(Self.scan(["barcode": "\"]C100006141410000090013\""]))
        guard case .event(.inventoryEvent(let pallet)) = outcomes.first else { throw CancellationError() }
        #expect(pallet.subject == "006141410000090013" && pallet.data.handlingUnit?.sscc == "006141410000090013")
    }

    @Test("quantity from JSON with the gateway's unit codes; net weight from AI 3103")
    func quantities() throws {
        let cases = try Self.event(Self.scan(["barcode": "\"]C10100614141000029\"", "quantity": "2", "uom": "\"CASE\""], gateway: "dc-den-rf").replacingOccurrences(of: "\"RCV\"", with: "\"RECEIPT\"").replacingOccurrences(of: "DOCK3", with: "R-01"))
        #expect(cases.quantity == Quantity(ExactDecimal(2), "CS") && cases.baseQuantity == Quantity(ExactDecimal(48), "EA"))
        let bolts = try Self.event(Self.scan(["barcode": "\"]C101006141410000673103125003\""]))
        #expect(bolts.quantity == Quantity(ExactDecimal("125.003")!, "KGM") && bolts.baseQuantity == Quantity(ExactDecimal("125.003")!, "KGM"), "\(bolts)")
    }

    @Test("a barcode's counts and weights: the one in the item's dimension is the quantity, the other said unused; disagreeing ones conflict")
    func barcodeCountsAndWeights() throws {
        let gs = "\\u001d"
        func warnings(_ event: InventoryEvent) -> [DiagnosticCode] { event.warnings.map(\.code) }
        // Bolts are measured by weight: 5 pieces weighing 0.250 kg are 0.25 KGM, not 5 KGM.
        let bolts = try Self.event(Self.scan(["barcode": "\"]C10100614141000067305\(gs)3103000250\""]))
        #expect(bolts.quantity == Quantity(ExactDecimal("0.25")!, "KGM") && warnings(bolts).contains(.fieldNotUsed), "\(bolts)")
        // A count alone of a weighed item is of pieces, which master data cannot turn into kilograms.
        let pieces = Self.outcomes(Self.scan(["barcode": "\"]C10100614141000067305\""]))
        #expect(pieces.first?.rejection?.code == .uomNotConvertible, "\(pieces)")
        // A counted item: the count is the quantity, the weight said unused.
        let widgets = try Self.event(Self.scan(["barcode": "\"]C10100614141000029306\(gs)3103000250\""]))
        #expect(widgets.quantity == Quantity(ExactDecimal(6), "EA") && warnings(widgets).contains(.fieldNotUsed), "\(widgets)")
        // 0.250 kg and 0.551 lb (0.2499 kg) are one weight as rounded; 0.250 kg and 0.600 lb are not.
        let both = try Self.event(Self.scan(["barcode": "\"]C101006141410000673103000250\(gs)3203000551\""]))
        #expect(both.quantity == Quantity(ExactDecimal("0.25")!, "KGM"), "\(both)")
        for barcode in ["]C101006141410000673103000250\(gs)3203000600", "]C10000614141000009001302006141410000123712\(gs)305"] {
            let rejection = Self.outcomes(Self.scan(["barcode": "\"\(barcode)\""])).first?.rejection
            #expect(rejection?.diagnostics.contains { $0.code == .valueConflict } == true, "\(barcode): \(String(describing: rejection))")
        }
        // An SSCC scan's number without a unit is not given one; a unit without a number is said unused.
        let pallet = try Self.event(Self.scan(["barcode": "\"]C100006141410000090013\"", "quantity": "5"]))
        #expect(pallet.quantity == nil && warnings(pallet) == [.fieldNotUsed], "\(pallet)")
        let unitOnly = try Self.event(Self.scan(["barcode": "\"]C100006141410000090013\"", "uom": "\"CS\""]))
        #expect(unitOnly.quantity == nil && warnings(unitOnly) == [.fieldNotUsed], "\(unitOnly)")
        // A barcode's count of zero is reported where it was read.
        let zero = Self.outcomes(Self.scan(["barcode": "\"]C10100614141000029300\""])).first?.rejection
        #expect(zero?.code == .quantityInvalid && zero?.diagnostics.first?.location == "/barcode", "\(String(describing: zero))")
        // A stated quantity that cannot be read is not replaced by "one".
        let unreadable = Self.outcomes(Self.scan(["quantity": "1e999"])).first?.rejection
        #expect(unreadable?.diagnostics.contains { $0.code == .valueDefaulted } == false, "\(String(describing: unreadable))")
    }

    @Test("lot-controlled item without a lot, and a late scan: accepted with warnings")
    func warnings() throws {
        let event = try Self.event(Self.scan(["barcode": "\"]C10100614141000043\"", "scannedAt": "\"2026-11-20T09:00:00-05:00\""]))
        #expect(Set(event.warnings.map(\.code)) == [.lotMissing, .expiryMissing, .scanLate, .valueDefaulted])
        #expect(event.warnings.first { $0.code == .scanLate }?.message.contains("22 h") == true)
    }

    struct RejectCase: Sendable, CustomTestStringConvertible {
        var name: String
        var fields: [String: String]
        var gateway = "dc-atl-rf"
        var code: DiagnosticCode
        var location: String
        var testDescription: String { name }
    }

    static let rejections: [RejectCase] = [
        RejectCase(name: "unknown gateway", fields: [:], gateway: "nobody", code: .partnerUnknown, location: "/gateway"),
        RejectCase(name: "unmapped action", fields: ["action": "\"ZAP\""], code: .codeUnmapped, location: "/action"),
        RejectCase(name: "unknown location", fields: ["location": "\"DOCK99\""], code: .locationUnknown, location: "/location"),
        RejectCase(name: "location of another site", fields: ["location": "\"DC-DEN/RCV/D01\""], code: .locationWrongSite, location: "/location"),
        RejectCase(name: "putaway to a dock", fields: ["action": "\"PUT\""], code: .locationWrongType, location: "/location"),
        RejectCase(name: "receipt on a zone", fields: ["location": "\"DC-ATL/RCV\""], code: .locationNotLeaf, location: "/location"),
        RejectCase(name: "scan claiming another site", fields: ["site": "\"DC-DEN\""], code: .locationWrongSite, location: "/site"),
        RejectCase(name: "bad GTIN check digit", fields: ["barcode": "\"]C10100614141000028\""], code: .checkDigit, location: "/barcode"),
        RejectCase(name: "21 without 01", fields: ["barcode": "\"]C121SERIAL1\""], code: .gs1AIInvalid, location: "/barcode"),
        RejectCase(name: "invalid date", fields: ["barcode": "\"]C1010061414100002917271340\""], code: .gs1AIInvalid, location: "/barcode"),
        RejectCase(name: "not GS1 data", fields: ["barcode": "\"hello\""], code: .gs1AIInvalid, location: "/barcode"),
        RejectCase(name: "unknown item", fields: ["barcode": "\"]C10100614141000906\""], code: .itemUnknown, location: "/barcode"),
        RejectCase(name: "unknown unit", fields: ["quantity": "2", "uom": "\"ZZ\""], code: .uomUnknown, location: "/uom"),
        RejectCase(name: "unit with no path", fields: ["quantity": "2", "uom": "\"KGM\""], code: .uomNotConvertible, location: "/uom"),
        RejectCase(name: "fractional base", fields: ["quantity": "0.5", "uom": "\"EA\""], code: .uomFractionalBase, location: "/uom"),
        RejectCase(name: "zero quantity", fields: ["quantity": "0"], code: .quantityInvalid, location: "/quantity"),
        RejectCase(name: "JSON and barcode disagree", fields: ["barcode": "\"]C101006141410000293002\"", "quantity": "3", "uom": "\"EA\""], code: .quantityInvalid, location: "/quantity"),
        RejectCase(name: "weighed item without quantity", fields: ["barcode": "\"]C10100614141000067\""], code: .quantityInvalid, location: "/quantity"),
        RejectCase(name: "move without destination", fields: ["action": "\"MOV\"", "location": "\"DC-ATL/STO/A01/01/A\""], code: .locationUnknown, location: "/"),
        RejectCase(name: "typo in a member", fields: ["locaton": "\"X\""], code: .jsonInvalid, location: "/locaton"),
        RejectCase(name: "time without offset", fields: ["scannedAt": "\"2026-11-21T06:55:00\""], code: .jsonInvalid, location: "/scannedAt"),
        RejectCase(name: "a day that does not exist", fields: ["scannedAt": "\"2026-02-30T06:55:00-05:00\""], code: .dateInvalid, location: "/scannedAt"),
        RejectCase(name: "an hour that does not exist", fields: ["scannedAt": "\"2026-11-21T24:00:00Z\""], code: .dateInvalid, location: "/scannedAt"),
        RejectCase(name: "a control character in an identifier", fields: ["device": "\"rf-\\u0000101\""], code: .jsonInvalid, location: "/device"),
        RejectCase(name: "a date where a date-time belongs", fields: ["scannedAt": "\"2026-11-21\""], code: .jsonInvalid, location: "/scannedAt"),
        RejectCase(name: "a fraction without digits", fields: ["scannedAt": "\"2026-11-21T06:55:00.Z\""], code: .jsonInvalid, location: "/scannedAt"),
    ]

    @Test("each problem rejects the scan with its code and location", arguments: rejections)
    func rejects(_ c: RejectCase) throws {
        let outcomes = Self.outcomes(Self.scan(c.fields, gateway: c.gateway))
        try #require(outcomes.count == 1)
        let rejection = try #require(outcomes[0].rejection, "accepted: \(outcomes[0])")
        #expect(rejection.code == c.code, "\(rejection.diagnostics)")
        #expect(rejection.diagnostics.first { $0.severity == .error }?.location == c.location, "\(rejection.diagnostics)")
    }

    @Test("a scan dated after it reached the hub keeps its time, with SCAN_IN_FUTURE; a few minutes of clock drift do not")
    func futureScan() throws {
        // Recorded at 2026-11-21T12:00:00Z.
        let far = try Self.event(Self.scan(["scannedAt": "\"9999-11-21T06:55:00-05:00\""]))
        #expect(far.warnings.filter { $0.code == .scanInFuture }.count == 1, "\(far.warnings)")
        let drift = try Self.event(Self.scan(["scannedAt": "\"2026-11-21T12:03:00Z\""]))
        #expect(!drift.warnings.contains { $0.code == .scanInFuture })
    }

    @Test("a batch: each good scan its event, in order; the rejected scans one rejection listing each")
    func batch() throws {
        let scans = [
            Self.scan([:]), Self.scan(["location": "\"DOCK99\""]), Self.scan(["action": "\"PUT\"", "location": "\"DC-ATL/STO/A01/01/A\""]),
            "42", Self.scan(["barcode": "\"]C10100614141000028\""]),
        ]
        let outcomes = Self.outcomes("{\"scans\": [\(scans.joined(separator: ", "))]}")
        #expect(outcomes.count == 3)
        #expect(outcomes.map(\.isRejection) == [false, false, true])
        let rejection = try #require(outcomes[2].rejection)
        #expect(rejection.diagnostics.first?.location == "/scans/1/location")
        let documents = try #require(rejection.documents)
        #expect(documents.map(\.position) == ["scan/1", "scan/3", "scan/4"])
        #expect(documents.map(\.code) == [.locationUnknown, .jsonInvalid, documents[2].code])
        // Each document's findings are its own slice of the record's.
        for document in documents {
            let own = rejection.diagnostics[document.firstDiagnostic..<document.firstDiagnostic + document.diagnosticCount]
            #expect(own.first { $0.severity == .error }?.code == document.code)
            #expect(own.allSatisfy { $0.location?.hasPrefix("/scans/" + document.position.dropFirst(5)) == true }, "\(own)")
        }
        let ids = outcomes.compactMap { if case .event(let e) = $0 { e.id } else { nil } }
        #expect(Set(ids).count == 2, "each scan of a batch has its own id")
        let again = Self.outcomes("{\"scans\": [\(scans.joined(separator: ", "))]}").map { $0.jsonBytes() }
        #expect(again == outcomes.map { $0.jsonBytes() })
    }

    @Test("every scan event and rejection validates against the schemas")
    func schemas() throws {
        var lines: [[UInt8]] = []
        for c in Self.steps {
            var fields = ["action": "\"\(c.action)\"", "location": "\"\(c.location)\""]
            if let to = c.toLocation { fields["toLocation"] = "\"\(to)\"" }
            lines += Self.outcomes(Self.scan(fields)).map { $0.jsonBytes() }
        }
        for c in Self.rejections { lines += Self.outcomes(Self.scan(c.fields, gateway: c.gateway)).map { $0.jsonBytes() } }
        let result = try TestSupport.validateEvents(lines)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("events: \(lines.count) valid"), "\(result.output)")
    }
}
