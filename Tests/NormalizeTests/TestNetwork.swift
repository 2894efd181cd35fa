import Foundation
import MasterData
import Model
import Normalize
import TestSupport

/// Master data for the adapter tests: the reference network, and a copy with test profiles for
/// the corpus's own senders.
enum TestNetwork {
    static let reference: MasterDataSnapshot = try! MasterDataLoader.load(directory: TestSupport.path("examples/network").path)

    static let corpus: MasterDataSnapshot = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-corpus-net-\(UUID().uuidString)")
        try! FileManager.default.copyItem(at: TestSupport.path("examples/network"), to: folder)
        let fixtures = TestSupport.path("Tests/NormalizeTests/Fixtures")
        for name in try! FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("corpus-partners").path) {
            try! FileManager.default.copyItem(
                at: fixtures.appendingPathComponent("corpus-partners/\(name)"),
                to: folder.appendingPathComponent("partners/\(name)"))
        }
        let items = folder.appendingPathComponent("items.yaml")
        let extra = try! String(contentsOf: fixtures.appendingPathComponent("corpus-items.yaml"), encoding: .utf8)
        try! (try! String(contentsOf: items, encoding: .utf8) + extra).write(to: items, atomically: false, encoding: .utf8)
        let snapshot = try! MasterDataLoader.load(directory: folder.path)
        try? FileManager.default.removeItem(at: folder)
        precondition(!snapshot.hasErrors, "\(snapshot.diagnostics)")
        return snapshot
    }()

    static let recorded = Timestamp(rfc3339: "2026-11-21T12:00:00Z")!

    static func normalize(
        _ bytes: [UInt8], source: Source = .asn, snapshot: MasterDataSnapshot = reference, file: String = "test",
        partnerHeader: String? = nil, topicPartner: String? = nil, limit: Int = 10 * 1024 * 1024
    ) -> [Outcome] {
        let record = InputRecord(
            value: bytes, key: Array("key-1".utf8), headers: partnerHeader.map { [("crossdock-partner", $0)] } ?? [],
            source: .file(file), recordedAt: recorded, topicPartner: topicPartner)
        return Normalizer(snapshot: snapshot, maximumRecordSize: limit).normalize(record, source: source)
    }

    /// The reference network with its files changed by `edit` (given the folder), loaded.
    static func editedNetwork(_ edit: (URL) throws -> Void) throws -> MasterDataSnapshot {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crossdock-net-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestSupport.path("examples/network"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try edit(folder)
        return try MasterDataLoader.load(directory: folder.path)
    }

    static func fixture(_ name: String) throws -> [UInt8] { try TestSupport.bytes("Tests/NormalizeTests/Fixtures/\(name)") }
}

extension Outcome {
    /// The event's CloudEvents `time`.
    var eventTime: Timestamp? {
        switch self {
        case .event(.shipmentNotice(let event)): event.time
        case .event(.carrierStatus(let event)): event.time
        case .event(.inventoryEvent(let event)): event.time
        default: nil
        }
    }

    var shipmentNotice: ShipmentNotice? {
        if case .event(.shipmentNotice(let event)) = self { return event.data }
        return nil
    }

    var rejection: RejectedRecord? {
        if case .rejected(let event) = self { return event.data }
        return nil
    }
}

/// Builds X12 856 interchanges for tests: envelopes and counts are filled in, so each test names
/// only the segments it is about.
struct X12Builder {
    var sender = "ACMEIND"
    var control = "000000101"

    func interchange(_ sets: [[String]], terminator: String = "~\n") -> [UInt8] {
        var text = "ISA*00*          *00*          *ZZ*\(sender.padding(toLength: 15, withPad: " ", startingAt: 0))*ZZ*CROSSDOCK      *261120*0915*U*00401*\(control)*0*P*>" + terminator
        text += "GS*SH*\(sender)*CROSSDOCK*20261120*0915*101*X*004010" + terminator
        for (index, body) in sets.enumerated() {
            let st = String(format: "%04d", index + 1)
            text += "ST*856*\(st)" + terminator
            for segment in body { text += segment + terminator }
            text += "SE*\(body.count + 2)*\(st)" + terminator
        }
        text += "GE*\(sets.count)*101" + terminator
        text += "IEA*1*\(control)" + terminator
        return Array(text.utf8)
    }

    /// A minimal valid ASN body from ACME to DC-ATL with one item level; `items` replaces it.
    static func body(
        bsn: String = "BSN*00*ASN-T1*20261120*0915", shipTo: String = "N1*ST*RECEIVING*UL*0614141000012",
        extraShipment: [String] = [], levels: [String]? = nil
    ) -> [String] {
        ["\(bsn)", "HL*1**S"] + extraShipment + [shipTo, "HL*2*1*O", "PRF*PO-1"]
            + (levels ?? ["HL*3*2*I", "LIN*1*UK*00614141000029", "SN1**2*CA"])
    }
}
