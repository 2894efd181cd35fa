import Foundation
import MasterData
import Model
import Normalize
import Reconcile
import Testing
import TestSupport

/// Partner inputs for the reconciliation tests, made into canonical events by the normaliser (so
/// the stage is tested on what the hub really publishes).
enum Receipts {
    static let network: MasterDataSnapshot = try! MasterDataLoader.load(directory: TestSupport.path("examples/network").path)

    /// An 18-digit SSCC with its check digit, from a serial.
    static func sscc(_ serial: Int) -> String {
        let body = "00614141" + String(format: "%09d", serial)
        return body + String(GS1CheckDigit.compute(for: Array(body.utf8))!)
    }

    struct Unit {
        var sscc: String
        var parent: String? = nil
        /// (gtin, quantity, uom, lot)
        var lines: [(String, Int, String, String?)] = []
    }

    static func asn(
        _ number: String, units: [Unit], purpose: String = "original", expected: String = "2026-11-24T09:00:00-05:00",
        tracking: String? = nil, recorded: String = "2026-11-23T08:00:00-05:00", shipTo: String = "0614141000012"
    ) -> CanonicalEvent {
        var handlingUnits: [[String: Any]] = []
        for unit in units {
            var object: [String: Any] = ["sscc": unit.sscc, "packaging": unit.parent == nil ? "PLT" : "CTN"]
            if let parent = unit.parent { object["parent"] = parent }
            if !unit.lines.isEmpty {
                object["lines"] = unit.lines.enumerated().map { index, line in
                    var l: [String: Any] = [
                        "item": ["gtin": line.0], "quantity": line.1, "uom": line.2, "poNumber": "PO-1", "poLine": String(index + 1),
                    ]
                    if let lot = line.3 { l["lot"] = lot }
                    return l
                }
            }
            handlingUnits.append(object)
        }
        var document: [String: Any] = [
            "asnNumber": number, "purpose": purpose, "supplier": "BRIGHTLITE", "shipTo": shipTo,
            "shippedAt": "2026-11-21T14:30:00-05:00", "expectedArrivalAt": expected, "handlingUnits": handlingUnits,
        ]
        if let tracking { document["carrier"] = ["scac": "PCPT", "trackingNumbers": [tracking]] }
        return only(try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), source: .asn, recorded: recorded)
    }

    /// A DC-ATL RF scan: `RCV`, `PUT`, `DMG`...; of a unit (`sscc`) or of an item (`gtin`, lot, quantity).
    static func scan(
        _ action: String, at time: String, sscc: String? = nil, gtin: String? = nil, lot: String? = nil, quantity: Int? = nil,
        uom: String = "EA", location: String? = nil, shipmentId: String? = nil
    ) -> CanonicalEvent {
        var barcode = "]C1"
        if let sscc { barcode += "00" + sscc }
        if let gtin { barcode += "01" + gtin + (lot.map { "10" + $0 } ?? "") }
        var document: [String: Any] = [
            "gateway": "dc-atl-rf", "device": "rf-1", "site": "DC-ATL", "scannedAt": time, "action": action,
            "location": location ?? (action == "RCV" ? "DOCK3" : action == "DMG" ? "DC-ATL/DMG/X01" : "DC-ATL/STO/A01/01/A"),
            "barcode": barcode,
        ]
        if let quantity {
            document["quantity"] = quantity
            document["uom"] = uom
        }
        if let shipmentId { document["shipmentId"] = shipmentId }
        return only(try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), source: .scan, recorded: time)
    }

    /// A tracking JSON status of PCPT.
    static func status(_ status: String, at time: String, tracking: String) -> CanonicalEvent {
        let json = #"{"carrier": "PCPT", "trackingNumber": "\#(tracking)", "events": [{"status": "\#(status)", "occurredAt": "\#(time)"}]}"#
        return only(Data(json.utf8), source: .carrier, recorded: time)
    }

    static func only(_ data: Data, source: Source, recorded: String) -> CanonicalEvent {
        let record = InputRecord(
            value: Array(data), source: .file("test"), recordedAt: Timestamp(rfc3339: recorded)!)
        let outcomes = Normalizer(snapshot: network).normalize(record, source: source)
        guard outcomes.count == 1, case .event(let event) = outcomes[0] else {
            fatalError("not one event: \(outcomes.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })")
        }
        return event
    }

    /// Every record published for the events in this order, the end of input included.
    static func reconcile(_ events: [CanonicalEvent], snapshot: MasterDataSnapshot = network, closeAfter: Duration = .seconds(86400))
        -> [StageOutput]
    {
        var reconciler = Reconciler(snapshot: snapshot, settings: ReconcileSettings(closeAfter: closeAfter))
        var outputs: [StageOutput] = []
        for event in events {
            outputs += reconciler.add(event)
            outputs += reconciler.advance()
        }
        return outputs + reconciler.advance(endOfInput: true)
    }

    /// The last reconciliation of each receipt.
    static func final(_ outputs: [StageOutput]) -> [String: ReceiptReconciliation] {
        var last: [String: ReceiptReconciliation] = [:]
        for case .reconciliation(let event) in outputs { last[event.subject] = event.data }
        return last
    }

    static func finalRecords(_ outputs: [StageOutput]) -> [String: String] {
        var last: [String: String] = [:]
        for output in outputs { if let key = output.recordKey, let bytes = output.recordBytes { last[key] = String(decoding: bytes, as: UTF8.self) } }
        // A superseded blind receipt no longer exists: whether one was published before its
        // late ship notice came depends on timing, the receipts that stand do not.
        return last.filter { !$0.value.contains(#""status":"superseded""#) }
    }
}

@Suite("receipt reconciliation")
struct ReconcileTests {
    static let pallet = Receipts.sscc(100)
    static let carton1 = Receipts.sscc(101)
    static let carton2 = Receipts.sscc(102)
    static let shipment = "BRIGHTLITE:ASN-1"

    /// A pallet of two cartons: 3 cases (36 EA) of WID-100 and 24 EA of WID-200.
    static func twoCartons(
        purpose: String = "original", number: String = "ASN-1", recorded: String = "2026-11-23T08:00:00-05:00",
        shipTo: String = "0614141000012"
    ) -> CanonicalEvent {
        Receipts.asn(
            number,
            units: [
                .init(sscc: pallet), .init(sscc: carton1, parent: pallet, lines: [("00614141000012", 3, "case", nil)]),
                .init(sscc: carton2, parent: pallet, lines: [("00614141000029", 24, "each", nil)]),
            ], purpose: purpose, tracking: "1Z999AA10123456784", recorded: recorded, shipTo: shipTo)
    }

    @Test("exact: the pallet received and put away; its cartons count through it; closed when stocked")
    func exact() throws {
        let outputs = Receipts.reconcile([
            Self.twoCartons(),
            Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet),
            Receipts.scan("PUT", at: "2026-11-24T09:40:00-05:00", sscc: Self.pallet),
        ])
        let record = try #require(Receipts.final(outputs)[Self.shipment])
        #expect(record.status == .exact && record.complete && record.discrepancies.isEmpty)
        #expect(record.handlingUnits.map(\.outcome) == [.matched, .matched, .matched])
        #expect(record.handlingUnits.first?.dockToStockMinutes == 90)
        #expect(record.lines.map { $0.expected?.description } == ["36 EA", "24 EA"], "3 cases of 12 in base units")
        #expect(record.lines.map(\.received.description) == ["36 EA", "24 EA"])
        #expect(record.asnLate == false && record.asnLateMinutes == 0)
        #expect(record.dockToStock == DockToStock(units: 3, medianMinutes: 90, p90Minutes: 90))
        #expect(record.carrier?.trackingNumbers == ["1Z999AA10123456784"])
        // Closed by the put-away, before the end of input: published once, with its scorecard.
        let scorecards = outputs.compactMap { if case .scorecard(let e) = $0 { e.data } else { nil } }
        #expect(scorecards.last?.exactReceipts == 1 && scorecards.last?.asnAccuracy == ExactDecimal("1"))
    }

    @Test("nothing received is never complete, even against a notice with nothing to match by line")
    func nothingReceivedIsOpen() throws {
        // The hub refuses a notice without item lines; one read from a changelog written by
        // another version, or a line with no expected quantity, would be complete by its lines.
        let notice = AnnouncedShipment(
            id: "n-1", shipmentId: "BRIGHTLITE:ASN-U", asnNumber: "ASN-U", purpose: .original, supplier: "BRIGHTLITE",
            site: "DC-ATL", orders: [], recordedAt: Timestamp(rfc3339: "2026-11-23T08:00:00-05:00")!, expectedArrivalAt: nil,
            scac: nil, trackingNumbers: [], references: [], units: [AnnouncedUnit(sscc: Self.pallet, parent: nil)], lines: [])
        let (record, _) = ReceiptMatcher.reconcile(
            shipmentId: notice.shipmentId, notices: [notice], facts: [], statuses: [], tolerances: ReceivingTolerances(),
            closeAfter: .seconds(86400))
        #expect(!record.complete && record.firstReceiptAt == nil)
    }

    @Test("a put-away that arrives before the unit's receipt: closed when the receipt arrives, not at the end")
    func stockedBeforeReceived() throws {
        var reconciler = Reconciler(snapshot: Receipts.network)
        var outputs = reconciler.add(Self.twoCartons())
        outputs += reconciler.add(Receipts.scan("PUT", at: "2026-11-24T09:40:00-05:00", sscc: Self.pallet))
        #expect(Receipts.final(outputs)[Self.shipment] == nil, "not received yet")
        outputs += reconciler.add(Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet))
        let record = try #require(Receipts.final(outputs)[Self.shipment], "published without waiting for the closing period")
        #expect(record.status == .exact && record.complete)
        #expect(record.handlingUnits.first?.dockToStockMinutes == 90)
    }

    @Test("dock-to-stock percentiles from a histogram equal those from every unit's minutes", arguments: 0..<8)
    func dockToStockHistogram(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let minutes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in Int.random(in: 0..<12, using: &generator) * 15 }
        let counts = Dictionary(minutes.map { ($0, 1) }, uniquingKeysWith: +).sorted { $0.key < $1.key }.map { (minutes: $0.key, units: $0.value) }
        #expect(DockToStock(counts: counts) == DockToStock(minutes: minutes))
        #expect(DockToStock(minutes: [5, 1, 9, 3]) == DockToStock(units: 4, medianMinutes: 3, p90Minutes: 9))
    }

    @Test("short: a carton not received is missing and its line short")
    func short() throws {
        let record = try #require(
            Receipts.final(Receipts.reconcile([Self.twoCartons(), Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.carton1)]))[
                Self.shipment])
        #expect(record.status == .discrepant && !record.complete)
        #expect(record.handlingUnits.map(\.outcome) == [.matched, .matched, .missing], "the pallet broke down at the dock")
        #expect(record.lines[1].discrepancies == [.shortShipped] && record.lines[1].variance?.description == "-24 EA")
        #expect(record.discrepancies == [.shortShipped])
    }

    @Test("damaged: a carton received damaged; its line and the receipt say so")
    func damaged() throws {
        let record = try #require(
            Receipts.final(
                Receipts.reconcile([
                    Self.twoCartons(), Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet),
                    Receipts.scan("DMG", at: "2026-11-24T08:20:00-05:00", sscc: Self.carton2),
                ]))[Self.shipment])
        #expect(record.handlingUnits.map(\.outcome) == [.matched, .matched, .damaged])
        #expect(record.lines[1].damaged?.description == "24 EA" && record.lines[1].discrepancies == [.deliveredDamaged])
        #expect(record.status == .discrepant && record.discrepancies == [.deliveredDamaged])
    }

    @Test("an SSCC no ship notice announced is a blind receipt of its own")
    func unannounced() throws {
        let stranger = Receipts.sscc(999)
        let outputs = Receipts.reconcile([
            Self.twoCartons(), Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet),
            Receipts.scan("RCV", at: "2026-11-24T08:11:00-05:00", sscc: stranger),
        ])
        let records = Receipts.final(outputs)
        let blind = try #require(records["unadvised:DC-ATL:\(stranger)"])
        #expect(blind.status == .discrepant && blind.shipmentId == nil && blind.discrepancies == [.deliveredNotAdvised])
        #expect(blind.handlingUnits.map(\.outcome) == [.unexpected])
        #expect(records[Self.shipment]?.status == .exact)
    }

    @Test("a late ship notice claims a blind receipt: matched, asnLate, the blind record superseded")
    func lateNotice() throws {
        let scans = [
            Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet),
            // A day and more of other scans: the blind receipt closes and is published.
            Receipts.scan("RCV", at: "2026-11-25T10:00:00-05:00", sscc: Receipts.sscc(500)),
        ]
        let notice = Self.twoCartons(recorded: "2026-11-25T11:00:00-05:00")
        let outputs = Receipts.reconcile(scans + [notice])
        let records = Receipts.final(outputs)
        let blindKey = "unadvised:DC-ATL:\(Self.pallet)"
        #expect(outputs.contains { if case .reconciliation(let e) = $0 { e.subject == blindKey && e.data.status == .discrepant } else { false } })
        #expect(records[blindKey]?.status == .superseded && records[blindKey]?.supersededBy == Self.shipment)
        let record = try #require(records[Self.shipment])
        #expect(record.handlingUnits.map(\.outcome) == [.matched, .matched, .matched])
        #expect(record.asnLate == true && record.asnLateMinutes == 1610)
        // Before the closing period is over, a late notice leaves no blind record at all.
        let early = Receipts.final(Receipts.reconcile([scans[0], notice]))
        #expect(early[blindKey] == nil && early[Self.shipment]?.status == .exact)
    }

    @Test("a replacement ship notice replaces the original, in whichever order they come")
    func replacement() throws {
        let original = Self.twoCartons()
        let replacement = Receipts.asn(
            "ASN-1", units: [.init(sscc: Self.carton1, lines: [("00614141000012", 3, "case", nil)])], purpose: "replace",
            recorded: "2026-11-23T09:00:00-05:00")
        let scan = Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.carton1)
        for order in [[original, replacement, scan], [replacement, original, scan], [scan, replacement, original]] {
            let record = try #require(Receipts.final(Receipts.reconcile(order))[Self.shipment])
            #expect(record.status == .exact && record.lines.count == 1 && record.handlingUnits.map(\.outcome) == [.matched])
        }
    }

    @Test("cases against eaches: item scans in any unit compare in base units; over within tolerance")
    func units() throws {
        let notice = Receipts.asn("ASN-2", units: [.init(sscc: Self.carton1, lines: [("00614141000012", 3, "case", nil)])])
        let id = "BRIGHTLITE:ASN-2"
        func receive(_ quantities: [(Int, String)]) -> [CanonicalEvent] {
            [notice] + quantities.enumerated().map { index, q in
                Receipts.scan("RCV", at: "2026-11-24T08:1\(index):00-05:00", gtin: "00614141000012", quantity: q.0, uom: q.1, shipmentId: id)
            }
        }
        let exact = try #require(Receipts.final(Receipts.reconcile(receive([(2, "CS"), (12, "EA")])))[id])
        #expect(exact.status == .exact && exact.lines.first?.received.description == "36 EA" && exact.handlingUnits.isEmpty)
        let over = try #require(Receipts.final(Receipts.reconcile(receive([(3, "CS"), (2, "EA")])))[id])
        #expect(over.lines.first?.discrepancies == [.overShipped] && over.lines.first?.variance?.description == "2 EA")
        // BrightLite with a 10 % over-delivery tolerance: 38 of 36 is within it.
        let tolerant = try Self.network(brightlite: "receiving: {overTolerancePercent: \"10\"}\n")
        let within = try #require(Receipts.final(Receipts.reconcile(receive([(3, "CS"), (2, "EA")]), snapshot: tolerant))[id])
        #expect(within.status == .exact && within.lines.first?.variance?.description == "2 EA")
    }

    @Test("master data updated while the stage runs: a receipt's next change reads the new tolerance")
    func masterDataUpdate() throws {
        let id = "BRIGHTLITE:ASN-2"
        var reconciler = Reconciler(snapshot: Receipts.network)
        var outputs = reconciler.add(Receipts.asn("ASN-2", units: [.init(sscc: Self.carton1, lines: [("00614141000012", 3, "case", nil)])]))
        outputs += reconciler.add(
            Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", gtin: "00614141000012", quantity: 3, uom: "CS", shipmentId: id))
        outputs += reconciler.add(
            Receipts.scan("RCV", at: "2026-11-24T08:11:00-05:00", gtin: "00614141000012", quantity: 1, uom: "EA", shipmentId: id))
        outputs += reconciler.advance(endOfInput: true)
        #expect(Receipts.final(outputs)[id]?.status == .discrepant)
        // BrightLite's profile now allows 10 % over: the next scan of the receipt reconciles it again.
        reconciler.use(try Self.network(brightlite: "receiving: {overTolerancePercent: \"10\"}\n"))
        outputs += reconciler.add(
            Receipts.scan("RCV", at: "2026-11-24T08:12:00-05:00", gtin: "00614141000012", quantity: 1, uom: "EA", shipmentId: id))
        #expect(Receipts.final(outputs)[id]?.status == .exact)
    }

    @Test("a chain of 3,000 cartons, each inside the one before: the pallet's scans receive and stock them all")
    func deepChain() throws {
        // Each unit walked up to the top for its scans: 5,000 levels took 7 s per reconciliation.
        let count = 3_000
        var units = [Receipts.Unit(sscc: Receipts.sscc(20_000), lines: [("00614141000029", 1, "each", nil)])]
        for n in 1..<count {
            units.append(.init(sscc: Receipts.sscc(20_000 + n), parent: Receipts.sscc(20_000 + n - 1), lines: [("00614141000029", 1, "each", nil)]))
        }
        let outputs = Receipts.reconcile([
            Receipts.asn("CHAIN", units: units),
            Receipts.scan("RCV", at: "2026-11-24T08:00:00-05:00", sscc: Receipts.sscc(20_000)),
            Receipts.scan("PUT", at: "2026-11-24T08:30:00-05:00", sscc: Receipts.sscc(20_000)),
        ])
        let record = try #require(Receipts.final(outputs)["BRIGHTLITE:CHAIN"])
        #expect(record.status == .exact && record.handlingUnits.count == count)
        #expect(record.handlingUnits.allSatisfy { $0.outcome == .matched && $0.dockToStockMinutes == 30 })
    }

    @Test("settled once per batch: a closed receipt's 200 damage scans publish it once, as it would stand after each")
    func batchedSettle() throws {
        let cartons = (1...200).map { Receipts.sscc(30_000 + $0) }
        let pallet = Receipts.sscc(30_000)
        let notice = Receipts.asn(
            "BATCH", units: [.init(sscc: pallet)] + cartons.map { .init(sscc: $0, parent: pallet, lines: [("00614141000029", 1, "each", nil)]) })
        let received = [
            Receipts.scan("RCV", at: "2026-11-24T08:00:00-05:00", sscc: pallet), Receipts.scan("PUT", at: "2026-11-24T08:30:00-05:00", sscc: pallet),
        ]
        let damage = cartons.enumerated().map { index, sscc in
            Receipts.scan("DMG", at: "2026-11-24T09:\(String(format: "%02d", index % 60)):00-05:00", sscc: sscc)
        }
        var one = Reconciler(snapshot: Receipts.network)
        var each: [StageOutput] = []
        for event in [notice] + received + damage { each += one.add(event) }
        each += one.advance(endOfInput: true)
        var batched = Reconciler(snapshot: Receipts.network)
        batched.settleInBatches()
        var together: [StageOutput] = []
        for event in [notice] + received { together += batched.add(event) }
        together += batched.settle()
        for event in damage { together += batched.add(event) }
        together += batched.settle()
        together += batched.advance(endOfInput: true)
        #expect(Self.reconciliations(each).count == 201 && Self.reconciliations(together).count == 2)
        #expect(Receipts.finalRecords(each) == Receipts.finalRecords(together))
        #expect(Receipts.final(together)["BRIGHTLITE:BATCH"]?.handlingUnits.filter { $0.outcome == .damaged }.count == 200)
    }

    @Test("a published blind receipt's later scans in one batch publish it again once")
    func batchedBlind() throws {
        var reconciler = Reconciler(snapshot: Receipts.network)
        reconciler.settleInBatches()
        let unit = Receipts.sscc(40_000)
        var first = reconciler.add(Receipts.scan("RCV", at: "2026-11-24T08:00:00-05:00", sscc: unit))
        first += reconciler.advance(endOfInput: true)
        #expect(Self.reconciliations(first).count == 1)
        var later: [StageOutput] = []
        for minute in 10..<60 {
            later += reconciler.add(Receipts.scan("PUT", at: "2026-11-24T08:\(minute):00-05:00", sscc: unit))
        }
        #expect(Self.reconciliations(later).isEmpty)
        later += reconciler.settle()
        #expect(Self.reconciliations(later).count == 1)
        #expect(Receipts.final(later)["unadvised:DC-ATL:\(unit)"]?.handlingUnits.first?.dockToStockMinutes == 10)
    }

    @Test("lots: another lot than announced is short on the one and not advised on the other")
    func lots() throws {
        let notice = Receipts.asn("ASN-3", units: [.init(sscc: Self.carton1, lines: [("00614141000043", 12, "each", "L1")])])
        let id = "BRIGHTLITE:ASN-3"
        let record = try #require(
            Receipts.final(
                Receipts.reconcile([
                    notice, Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", gtin: "00614141000043", lot: "L2", quantity: 12, shipmentId: id),
                ]))[id])
        #expect(record.lines.map(\.item.lot) == ["L1", "L2"])
        #expect(record.lines.map(\.discrepancies) == [[.shortShipped], [.deliveredNotAdvised]])
        #expect(record.discrepancies == [.shortShipped, .deliveredNotAdvised])
    }

    @Test("carrier milestones from the statuses that share a tracking number, before or after the notice")
    func milestones() throws {
        let tracking = "1Z999AA10123456784"
        let outputs = Receipts.reconcile([
            Receipts.status("PICKED_UP", at: "2026-11-21T15:10:00-05:00", tracking: tracking),
            Self.twoCartons(),
            Receipts.status("DELIVERED", at: "2026-11-24T08:00:00-05:00", tracking: tracking),
            Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet),
        ])
        let carrier = try #require(Receipts.final(outputs)[Self.shipment]?.carrier)
        #expect(carrier.tenderedAt?.description == "2026-11-21T15:10:00-05:00" && carrier.deliveredAt?.description == "2026-11-24T08:00:00-05:00")
        #expect(carrier.lastStatus == .delivered && carrier.scac == "PCPT")
    }

    @Test("closing by event time: a day without scans closes a receipt; delivered late after its expected arrival")
    func inactivity() throws {
        var reconciler = Reconciler(snapshot: Receipts.network)
        _ = reconciler.add(Self.twoCartons())
        _ = reconciler.add(Receipts.scan("RCV", at: "2026-11-24T10:10:00-05:00", sscc: Self.carton1))
        #expect(reconciler.advance().isEmpty, "open: no scan for a day yet")
        _ = reconciler.add(Receipts.scan("RCV", at: "2026-11-25T10:09:00-05:00", sscc: Receipts.sscc(700)))
        #expect(reconciler.advance().isEmpty)
        _ = reconciler.add(Receipts.scan("RCV", at: "2026-11-25T10:11:00-05:00", sscc: Receipts.sscc(701)))
        let closed = Receipts.final(reconciler.advance())
        let record = try #require(closed[Self.shipment])
        #expect(record.discrepancies == [.shortShipped, .deliveredLate], "expected 09:00, first scan 10:10")
    }

    @Test("the same events in any order give the same final records", arguments: 0..<12)
    func orderIndependence(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let events = Self.scenario()
        let expected = Receipts.finalRecords(Receipts.reconcile(events))
        #expect(expected.count >= 6)
        let shuffled = Receipts.finalRecords(Receipts.reconcile(events.shuffled(using: &generator)))
        for key in Set(expected.keys).union(shuffled.keys).sorted() where expected[key] != shuffled[key] {
            Issue.record("\(key) differs:\n\(expected[key] ?? "none")\n\(shuffled[key] ?? "none")")
        }
    }

    @Test("each store's state read back from its changelog form goes on as the original")
    func restore() throws {
        let events = Self.scenario()
        let half = events.count / 2
        var original = Reconciler(snapshot: Receipts.network)
        for event in events.prefix(half) { _ = original.add(event) }
        var restored = Reconciler(snapshot: Receipts.network)
        for (key, state) in original.references.states { try restored.references.restore(key: key, value: state.jsonBytes()) }
        for (key, state) in original.shipments.states { try restored.shipments.restore(key: key, value: state.jsonBytes()) }
        for (key, state) in original.scorecards.states { try restored.scorecards.restore(key: key, value: state.jsonBytes()) }
        restored.observe(restored.shipments.latestActivity)
        restored.observe(restored.references.latestActivity)
        #expect(restored.streamTime == original.streamTime)
        #expect(restored.shipments.states == original.shipments.states && restored.references.states == original.references.states)
        var a: [[UInt8]] = []
        var b: [[UInt8]] = []
        for event in events.dropFirst(half) {
            a += original.add(event).compactMap(\.recordBytes)
            b += restored.add(event).compactMap(\.recordBytes)
        }
        a += original.advance(endOfInput: true).compactMap(\.recordBytes)
        b += restored.advance(endOfInput: true).compactMap(\.recordBytes)
        #expect(a == b && !a.isEmpty)
    }

    @Test("re-delivered events change nothing and publish nothing again")
    func duplicates() throws {
        let events = Self.scenario()
        let once = Receipts.reconcile(events).compactMap(\.recordBytes)
        let twice = Receipts.reconcile(events + events).compactMap(\.recordBytes)
        #expect(Set(twice) == Set(once))
    }

    /// The pallet of two cartons received and stocked on 25 November at DC-ATL: the reconciler
    /// and the scorecards its closing published.
    static func closedOn25th() -> (Reconciler, [SupplierScorecard]) {
        var reconciler = Reconciler(snapshot: Receipts.network)
        _ = reconciler.add(Self.twoCartons())
        _ = reconciler.add(Receipts.scan("RCV", at: "2026-11-25T08:00:00-05:00", sscc: Self.pallet))
        let closed = reconciler.add(Receipts.scan("PUT", at: "2026-11-25T09:00:00-05:00", sscc: Self.pallet))
        return (reconciler, scorecards(closed))
    }

    static func scorecards(_ outputs: [StageOutput]) -> [SupplierScorecard] {
        outputs.compactMap { if case .scorecard(let e) = $0 { e.data } else { nil } }
    }

    static func reconciliations(_ outputs: [StageOutput]) -> [ReceiptReconciliation] {
        outputs.compactMap { if case .reconciliation(let e) = $0 { e.data } else { nil } }
    }

    @Test("in batches, a day's scorecard is published once per batch with each of its receipts counted")
    func scorecardPerBatch() throws {
        func run(batched: Bool) -> [SupplierScorecard] {
            var reconciler = Reconciler(snapshot: Receipts.network)
            if batched { reconciler.settleInBatches() }
            var outputs: [StageOutput] = []
            for n in 0..<3 {
                let (pallet, first, second) = (Receipts.sscc(7_000 + 3 * n), Receipts.sscc(7_001 + 3 * n), Receipts.sscc(7_002 + 3 * n))
                outputs += reconciler.add(
                    Receipts.asn(
                        "ASN-B\(n)",
                        units: [
                            .init(sscc: pallet), .init(sscc: first, parent: pallet, lines: [("00614141000012", 3, "case", nil)]),
                            .init(sscc: second, parent: pallet, lines: [("00614141000029", 24, "each", nil)]),
                        ]))
                outputs += reconciler.add(Receipts.scan("RCV", at: "2026-11-24T08:1\(n):00-05:00", sscc: pallet))
                outputs += reconciler.add(Receipts.scan("PUT", at: "2026-11-24T09:1\(n):00-05:00", sscc: pallet))
            }
            outputs += reconciler.settle()
            return Self.scorecards(outputs)
        }
        #expect(run(batched: false).map(\.receipts) == [1, 2, 3], "one per receipt")
        let batched = run(batched: true)
        #expect(batched.map(\.receipts) == [3], "one for the batch")
        #expect(batched.last == run(batched: false).last, "the same figures")
    }

    @Test("a receipt whose first scan turns out to be a day earlier moves to that day's scorecard")
    func scorecardDay() throws {
        var (reconciler, first) = Self.closedOn25th()
        #expect(first.map(\.day.description) == ["2026-11-25"] && first.first?.receipts == 1)
        // A carton scanned the evening before, its scan delivered late.
        let moved = reconciler.add(Receipts.scan("RCV", at: "2026-11-24T23:50:00-05:00", sscc: Self.carton1))
        let cards = Self.scorecards(moved)
        #expect(cards.map(\.day.description) == ["2026-11-24"] && cards.first?.receipts == 1)
        #expect(
            reconciler.scorecards.states.keys.sorted() == ["BRIGHTLITE@DC-ATL/2026-11-24", "BRIGHTLITE@DC-ATL/2026-11-24/BRIGHTLITE:ASN-1"])
    }

    @Test("a replacement notice naming another site moves the receipt to that site's scorecard")
    func scorecardSite() throws {
        var (reconciler, first) = Self.closedOn25th()
        #expect(first.map(\.site) == ["DC-ATL"] && first.first?.receipts == 1)
        // The supplier corrects the ship-to: the receipt counts for DC-DEN now, not for both.
        let moved = reconciler.add(
            Self.twoCartons(purpose: "replace", recorded: "2026-11-25T10:00:00-05:00", shipTo: "0614141000043"))
        let cards = Self.scorecards(moved)
        #expect(cards.map(\.site) == ["DC-DEN"] && cards.first?.receipts == 1, "\(cards)")
        #expect(
            reconciler.scorecards.states.keys.sorted() == ["BRIGHTLITE@DC-DEN/2026-11-25", "BRIGHTLITE@DC-DEN/2026-11-25/BRIGHTLITE:ASN-1"])
        // And back: the withdrawal travels as a stage message of its own.
        let message = StageMessage.withdrawal(shipmentId: Self.shipment, day: try #require(cards.first?.day))
        #expect(try StageMessage(jsonBytes: message.jsonBytes()) == message)
    }

    @Test("a scanner clock years ahead does not close or forget the other receipts")
    func futureScan() throws {
        var reconciler = Reconciler(snapshot: Receipts.network)
        _ = reconciler.add(Self.twoCartons())
        _ = reconciler.add(Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet))
        // Sent (recorded) on the 24th, dated 2036.
        var wrong = Receipts.scan("RCV", at: "2036-11-24T08:11:00-05:00", sscc: Receipts.sscc(4242))
        if case .inventoryEvent(var event) = wrong {
            event.recordedtime = Timestamp(rfc3339: "2026-11-24T08:12:00-05:00")!
            wrong = .inventoryEvent(event)
        }
        _ = reconciler.add(wrong)
        #expect(reconciler.advance().isEmpty && reconciler.shipments.states[Self.shipment] != nil)
        #expect(reconciler.streamTime?.description == "2026-11-24T08:17:00-05:00", "at most 5 minutes after it was recorded")
    }

    @Test("a unit goes to the shipment whose notice announced it, whatever shipment the scan names")
    func ssccFirst() throws {
        let other = Receipts.asn("ASN-9", units: [.init(sscc: Receipts.sscc(900), lines: [("00614141000012", 1, "case", nil)])])
        let records = Receipts.final(
            Receipts.reconcile([
                Self.twoCartons(), other,
                Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Receipts.sscc(900), shipmentId: Self.shipment),
            ]))
        #expect(records["BRIGHTLITE:ASN-9"]?.handlingUnits.map(\.outcome) == [.matched])
        #expect(records[Self.shipment] == nil, "nothing of ASN-1 was received")
    }

    @Test("a pallet counted item by item: its cartons' content is in the count, not added to it")
    func countedPallet() throws {
        let record = try #require(
            Receipts.final(
                Receipts.reconcile([
                    Self.twoCartons(),
                    Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: Self.pallet, gtin: "00614141000012", quantity: 36),
                    Receipts.scan("RCV", at: "2026-11-24T08:11:00-05:00", sscc: Self.pallet, gtin: "00614141000029", quantity: 24),
                ]))[Self.shipment])
        #expect(record.lines.map(\.received.description) == ["36 EA", "24 EA"] && record.status == .exact, "\(record.lines)")
    }

    @Test("records validate against their schemas")
    func schemas() throws {
        let lines = Receipts.reconcile(Self.scenario()).compactMap(\.recordBytes)
        let result = try TestSupport.validateEvents(lines)
        #expect(result.status == 0, "\(result.output)")
    }

    /// Several shipments and what can happen to them: exact, short, damaged, blind, late notice,
    /// carrier statuses.
    static func scenario() -> [CanonicalEvent] {
        var events: [CanonicalEvent] = [
            twoCartons(), Receipts.scan("RCV", at: "2026-11-24T08:10:00-05:00", sscc: pallet),
            Receipts.scan("PUT", at: "2026-11-24T09:10:00-05:00", sscc: pallet),
            Receipts.status("DELIVERED", at: "2026-11-24T08:00:00-05:00", tracking: "1Z999AA10123456784"),
        ]
        for n in 0..<4 {
            let p = Receipts.sscc(200 + n * 10)
            let c1 = Receipts.sscc(201 + n * 10)
            let c2 = Receipts.sscc(202 + n * 10)
            events.append(
                Receipts.asn(
                    "ASN-S\(n)",
                    units: [
                        .init(sscc: p), .init(sscc: c1, parent: p, lines: [("00614141000012", 2, "case", nil)]),
                        .init(sscc: c2, parent: p, lines: [("00614141000029", 10, "each", nil)]),
                    ], recorded: "2026-11-2\(3 + n % 2)T0\(n):00:00-05:00"))
            events.append(Receipts.scan("RCV", at: "2026-11-24T1\(n):00:00-05:00", sscc: n == 1 ? c1 : p))
            if n == 2 { events.append(Receipts.scan("DMG", at: "2026-11-24T12:30:00-05:00", sscc: c2)) }
            if n != 3 { events.append(Receipts.scan("PUT", at: "2026-11-24T1\(n):45:00-05:00", sscc: n == 1 ? c1 : p)) }
        }
        events.append(Receipts.scan("RCV", at: "2026-11-24T15:00:00-05:00", sscc: Receipts.sscc(900)))
        events.append(Receipts.scan("RCV", at: "2026-11-26T15:00:00-05:00", sscc: Receipts.sscc(901)))
        return events
    }

    /// The reference network with lines added to BrightLite's profile.
    static func network(brightlite extra: String) throws -> MasterDataSnapshot {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-reconcile-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestSupport.path("examples/network"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("partners/brightlite.yaml")
        try (String(contentsOf: profile, encoding: .utf8) + extra).write(to: profile, atomically: false, encoding: .utf8)
        let snapshot = try MasterDataLoader.load(directory: folder.path)
        #expect(!snapshot.hasErrors, "\(snapshot.diagnostics)")
        return snapshot
    }
}

/// A small deterministic generator (SplitMix64) for shuffles a failure can be reproduced from.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
