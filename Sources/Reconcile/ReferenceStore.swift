public import MasterData
public import Model

/// What one reference (an SSCC, an ASN number, a bill of lading, PRO or tracking number) is
/// known to name, and what came for it before any ship notice named it.
public struct ReferenceState: Sendable, Hashable, JSONEncodable, JSONDecodable {
    /// The shipments whose ship notices name it (one bill of lading can cover several).
    public var shipments: [String] = []
    /// Scans of a unit no ship notice has announced yet: a blind receipt.
    public var held: [ReceiptFact] = []
    /// Carrier statuses that came before the ship notice.
    public var heldStatuses: [StatusFact] = []
    /// The id of the blind receipt's record last published.
    public var published: Optional<String> = nil
    /// The latest event time that touched it.
    public var touched: Optional<Timestamp> = nil

    public init() {}

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("shipments", strings: shipments, always: true)
        w.field("held", held, always: true)
        w.field("heldStatuses", heldStatuses, always: true)
        w.field("published", published)
        w.field("touched", touched)
        w.endObject()
    }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        let r = try JSONObjectReader(json, at: pointer)
        shipments = try r.strings("shipments")
        held = try r.array("held")
        heldStatuses = try r.array("heldStatuses")
        published = try r.optionalString("published")
        touched = try r.optional("touched")
    }
}

/// Joins scans of units and carrier statuses to the shipments whose ship notices name them:
/// forwards each to its shipments, or holds it until a ship notice names it. A unit held past
/// the closing period is published as a blind receipt (`unadvised:<site>:<sscc>`), superseded
/// when a late ship notice claims it.
public struct ReferenceStore: StageStore {
    static let maximumShipments = 64
    static let maximumHeld = 1_000

    public var states: [String: ReferenceState] = [:]
    public var changed: Set<String> = []
    public let settings: ReconcileSettings

    /// Whether a blind receipt changed by a scan waits for ``settle()`` to be published again
    /// (once per batch, as ``ShipmentStore/batched``), not once per scan.
    public var batched = false
    private var unsettled: Set<String> = []

    public init(settings: ReconcileSettings) { self.settings = settings }

    /// Publishes again each blind receipt changed since the last call, in key order.
    public mutating func settle() -> [StageOutput] {
        var outputs: [StageOutput] = []
        for key in unsettled.sorted() {
            guard var state = states[key], state.shipments.isEmpty, state.published != nil else { continue }
            outputs += publishBlind(&state)
            states[key] = state
            changed.insert(key)
        }
        unsettled = []
        return outputs
    }

    public mutating func apply(key: String, _ message: StageMessage) -> [StageOutput] {
        var state = states[key] ?? ReferenceState()
        var outputs: [StageOutput] = []
        switch message {
        case .announce(let shipmentId, let at):
            if let at { touch(&state, at) }
            guard !state.shipments.contains(shipmentId) else {
                states[key] = state
                changed.insert(key)
                return []
            }
            if state.shipments.count < Self.maximumShipments { state.shipments.append(shipmentId) }
            outputs += state.held.map { .forward(.byShipment, key: shipmentId, .fact($0)) }
            outputs += state.heldStatuses.map { .forward(.byShipment, key: shipmentId, .status($0)) }
            if state.published != nil, let first = state.held.first {
                let superseded = ReceiptReconciliation(
                    receiptId: Self.blindKey(first), status: .superseded, supersededBy: shipmentId, site: first.site,
                    firstReceiptAt: state.held.first(where: \.isReceipt)?.time, lastReceiptAt: state.held.last(where: \.isReceipt)?.time)
                outputs.append(.reconciliation(StageRecords.reconciliation(superseded, recordedAt: Self.recordedAt(state))))
            }
            state.held = []
            state.heldStatuses = []
            state.published = nil
        case .fact(let fact):
            touch(&state, fact.time)
            if state.shipments.isEmpty, let shipmentId = fact.shipmentId {
                // No notice announced the unit, the scan names its shipment: that shipment's.
                return [.forward(.byShipment, key: shipmentId, .fact(fact))]
            } else if state.shipments.isEmpty {
                guard !state.held.contains(where: { $0.id == fact.id }), state.held.count < Self.maximumHeld else { return [] }
                state.held.append(fact)
                state.held.sort { inOrder($0.time, $0.id, $1.time, $1.id) }
                if state.published != nil {
                    if batched { unsettled.insert(key) } else { outputs += publishBlind(&state) }
                }
            } else {
                outputs += state.shipments.map { .forward(.byShipment, key: $0, .fact(fact)) }
            }
        case .status(let status):
            if state.shipments.isEmpty {
                guard !state.heldStatuses.contains(where: { $0.id == status.id }), state.heldStatuses.count < Self.maximumHeld else {
                    return []
                }
                touch(&state, status.time)
                state.heldStatuses.append(status)
            } else {
                touch(&state, status.time)
                outputs += state.shipments.map { .forward(.byShipment, key: $0, .status(status)) }
            }
        case .notice, .contribution, .withdrawal:
            return []
        }
        states[key] = state
        changed.insert(key)
        return outputs
    }

    public mutating func advance(now: Timestamp?, endOfInput: Bool) -> [StageOutput] {
        guard let now else { return [] }
        var outputs: [StageOutput] = []
        // Expired keys are forgotten at once; only those that close are sorted (outputs in a stable order).
        var due: [String] = []
        for (key, state) in states {
            if let touched = state.touched, touched.adding(settings.retention) < now {
                states[key] = nil
                changed.insert(key)
            } else if state.shipments.isEmpty, state.published == nil, let last = state.held.last(where: \.isReceipt),
                endOfInput || !(now < last.time.adding(settings.closeAfter))
            {
                due.append(key)
            }
        }
        for key in due.sorted() {
            var state = states[key]!
            outputs += publishBlind(&state)
            states[key] = state
            changed.insert(key)
        }
        return outputs
    }

    public var latestActivity: Timestamp? { states.values.compactMap(\.touched).max() }

    mutating func touch(_ state: inout ReferenceState, _ time: Timestamp) {
        if state.touched.map({ $0 < time }) ?? true { state.touched = time }
    }

    /// The held scans of a unit no ship notice announced, as a receipt of their own.
    func publishBlind(_ state: inout ReferenceState) -> [StageOutput] {
        guard let first = state.held.first(where: \.isReceipt), first.sscc != nil else { return [] }
        let units = UnitMatching(announced: [], facts: state.held)
        var warnings: [Diagnostic] = []
        let lines = LineMatching.match(
            announced: [], units: units, facts: state.held, tolerances: ReceivingTolerances(), warnings: &warnings)
        let record = ReceiptReconciliation(
            receiptId: Self.blindKey(first), status: .discrepant, site: first.site, firstReceiptAt: first.time,
            lastReceiptAt: state.held.last(where: \.isReceipt)?.time, complete: false, handlingUnits: units.outcomes, lines: lines,
            discrepancies: [.deliveredNotAdvised],
            dockToStock: DockToStock(minutes: units.outcomes.compactMap(\.dockToStockMinutes)), warnings: warnings)
        let event = StageRecords.reconciliation(record, recordedAt: Self.recordedAt(state))
        guard event.id != state.published else { return [] }
        state.published = event.id
        return [.reconciliation(event)]
    }

    static func blindKey(_ fact: ReceiptFact) -> String { "unadvised:\(fact.site):\(fact.sscc ?? "")" }

    static func recordedAt(_ state: ReferenceState) -> Timestamp {
        state.held.map(\.recordedAt).max() ?? state.touched ?? Timestamp(epochSeconds: 0)
    }
}
