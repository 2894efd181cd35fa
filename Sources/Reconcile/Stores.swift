public import MasterData
public import Model

/// The internal streams of the reconciliation stage, each keyed by what its store joins on (the
/// Kafka Streams pattern: a repartition topic per join key, a compacted changelog per store).
public enum Hop: String, Sendable, Hashable, CaseIterable {
    /// Keyed `sscc:<SSCC>` or `ref:<reference>`: scans of units and carrier statuses meet the
    /// ship notices that announce those units and references.
    case byReference = "references"
    /// Keyed by shipment id: a ship notice with its scans and carrier statuses.
    case byShipment = "shipments"
    /// Keyed `<supplier>@<site>`: the receipts of a supplier at a site.
    case bySupplier = "scorecards"
}

/// What travels on the stage's internal topics.
public enum StageMessage: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// A ship notice names this reference or unit (`at`: when the notice reached the hub).
    case announce(shipmentId: String, at: Timestamp?)
    case notice(AnnouncedShipment)
    case fact(ReceiptFact)
    case status(StatusFact)
    case contribution(ScorecardContribution)
    /// The shipment no longer counts for this key's scorecard of `day` (its supplier or site
    /// changed, as a replacement notice may say).
    case withdrawal(shipmentId: String, day: CalendarDate)

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .announce(let shipmentId, let at):
            w.field("announce", shipmentId)
            w.field("at", at)
        case .notice(let notice): w.field("notice", notice)
        case .fact(let fact): w.field("fact", fact)
        case .status(let status): w.field("status", status)
        case .contribution(let contribution): w.field("contribution", contribution)
        case .withdrawal(let shipmentId, let day):
            w.field("withdraw", shipmentId)
            w.field("day", day)
        }
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        if let shipmentId = try r.optionalString("announce") {
            self = .announce(shipmentId: shipmentId, at: try r.optional("at"))
        } else if let notice: AnnouncedShipment = try r.optional("notice") {
            self = .notice(notice)
        } else if let fact: ReceiptFact = try r.optional("fact") {
            self = .fact(fact)
        } else if let status: StatusFact = try r.optional("status") {
            self = .status(status)
        } else if let contribution: ScorecardContribution = try r.optional("contribution") {
            self = .contribution(contribution)
        } else if let shipmentId = try r.optionalString("withdraw") {
            self = .withdrawal(shipmentId: shipmentId, day: try r.decode("day"))
        } else {
            throw JSONShapeError("not a reconciliation stage message", at: pointer)
        }
    }
}

/// What a store hands on: a message to another store, or a record for the output topics.
public enum StageOutput: Sendable, Hashable {
    case forward(Hop, key: String, StageMessage)
    case reconciliation(CloudEvent<ReceiptReconciliation>)
    case scorecard(CloudEvent<SupplierScorecard>)

    /// Hands each forward to `apply` (its store's answer, nil when its store is not here), breadth
    /// first, then what the store hands on; returns the forwards no store here took and the
    /// records for the output topics, in order.
    public static func deliver(
        _ outputs: [StageOutput], to apply: (Hop, _ key: String, StageMessage) -> [StageOutput]?
    ) -> [StageOutput] {
        var queue = outputs[...]
        var remaining: [StageOutput] = []
        while let output = queue.popFirst() {
            guard case .forward(let hop, let key, let message) = output, let handedOn = apply(hop, key, message) else {
                remaining.append(output)
                continue
            }
            queue += handedOn
        }
        return remaining
    }
}

/// The stage's settings.
public struct ReconcileSettings: Sendable, Hashable {
    /// A receipt with no scan for this long, in event time, is closed.
    public var closeAfter: Duration = .seconds(24 * 3600)
    /// State no scan has touched for this long, in event time, is forgotten.
    public var retention: Duration = .seconds(30 * 24 * 3600)

    public init(closeAfter: Duration = .seconds(24 * 3600), retention: Duration = .seconds(30 * 24 * 3600)) {
        self.closeAfter = closeAfter
        self.retention = retention
    }
}

/// The canonical records the stage writes, in CloudEvents with ids that are a digest of their
/// content: the same reconciliation made twice (a replay, a restart) is byte-identical.
enum StageRecords {
    static let source = "urn:crossdock:stage:reconciliation"

    static func reconciliation(_ data: ReceiptReconciliation, recordedAt: Timestamp) -> CloudEvent<ReceiptReconciliation> {
        CloudEvent(
            id: EventID.make(source: source, document: data.receiptId, position: EventID.digest(data.jsonBytes())),
            source: source, subject: data.receiptId,
            time: data.lastReceiptAt ?? data.firstReceiptAt ?? data.asnRecordedAt ?? recordedAt, partner: data.supplier,
            site: data.site.isEmpty ? nil : data.site, recordedtime: recordedAt, correlationid: data.asnNumber, data: data)
    }

    static func scorecard(_ data: SupplierScorecard, time: Timestamp, recordedAt: Timestamp) -> CloudEvent<SupplierScorecard> {
        let key = "\(data.supplier)@\(data.site)"
        return CloudEvent(
            id: EventID.make(source: source, document: key, position: EventID.digest(data.jsonBytes())), source: source,
            subject: key, time: time, partner: data.supplier, site: data.site, recordedtime: recordedAt,
            correlationid: data.day.description, data: data)
    }
}

/// A store's keyed state and the stream time of its partition, with the keys changed since the
/// changelog last took them.
public protocol StageStore: Sendable {
    associatedtype State: JSONEncodable & JSONDecodable & Sendable & Hashable
    var states: [String: State] { get set }
    /// Keys whose state changed (or went) since ``takeChanges()``.
    var changed: Set<String> { get set }
    mutating func apply(key: String, _ message: StageMessage) -> [StageOutput]
    /// Closes what the stream time (the latest scan time the process has seen) says is over;
    /// `endOfInput` closes everything still open.
    mutating func advance(now: Timestamp?, endOfInput: Bool) -> [StageOutput]
    /// The latest scan time in the state: where a restored process's stream time starts.
    var latestActivity: Timestamp? { get }
}

extension StageStore {
    /// The changed keys with their states (nil: deleted), for the changelog.
    public mutating func takeChanges() -> [(key: String, state: State?)] {
        let keys = changed.sorted()
        changed = []
        return keys.map { ($0, states[$0]) }
    }

    /// Restores one key from its changelog record (nil value: deleted).
    public mutating func restore(key: String, value: [UInt8]?) throws {
        guard let value else {
            states[key] = nil
            return
        }
        states[key] = try State(json: JSONParser.parse(value), at: .root)
    }
}
