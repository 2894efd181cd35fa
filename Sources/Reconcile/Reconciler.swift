public import MasterData
public import Model

/// The whole stage in one process, without Kafka: canonical events in, reconciliations and
/// scorecards out, each store's messages handed on in order. `crossdock reconcile` and the
/// tests run it; the service runs the same stores, one partition each, over Kafka.
public struct Reconciler: Sendable {
    public var router: StageRouter
    public var references: ReferenceStore
    public var shipments: ShipmentStore
    public var scorecards: ScorecardStore
    /// The stream time: the latest scan time seen. Receipts close by it, so a replay closes them
    /// as the first run did, whatever the wall clock says.
    public var streamTime: Timestamp? = nil

    public init(snapshot: MasterDataSnapshot, settings: ReconcileSettings = ReconcileSettings()) {
        router = StageRouter(snapshot: snapshot)
        references = ReferenceStore(settings: settings)
        shipments = ShipmentStore(snapshot: snapshot, settings: settings)
        scorecards = ScorecardStore()
    }

    /// Reads `snapshot` from now on (master data updated while the stage runs).
    public mutating func use(_ snapshot: MasterDataSnapshot) {
        router.snapshot = snapshot
        shipments.snapshot = snapshot
    }

    /// What one canonical event changes: the records published because of it.
    public mutating func add(_ event: CanonicalEvent) -> [StageOutput] {
        if case .inventoryEvent(let scan) = event { observe(Self.clockTime(scan.time, recordedAt: scan.recordedtime)) }
        return run(router.route(event))
    }

    /// A scan's time as the stream clock takes it: never more than 5 minutes after it reached the
    /// hub (a scanner whose clock is years ahead would otherwise close and forget every receipt).
    public static func clockTime(_ time: Timestamp, recordedAt: Timestamp) -> Timestamp {
        let limit = recordedAt.adding(.seconds(300))
        return limit < time ? limit : time
    }

    /// Moves the stream time on to `time` if it is later.
    public mutating func observe(_ time: Timestamp?) {
        guard let time else { return }
        if streamTime.map({ $0 < time }) ?? true { streamTime = time }
    }

    /// Reconciles the receipts changed since the last call, then publishes the scorecards they
    /// changed (when the stores are ``settleInBatches()``).
    public mutating func settle() -> [StageOutput] {
        run(references.settle()) + run(shipments.settle()) + scorecards.settle()
    }

    /// Reconciles each receipt, and publishes each day's scorecard, once per ``settle()`` rather
    /// than after each change.
    public mutating func settleInBatches() {
        references.batched = true
        shipments.batched = true
        scorecards.batched = true
    }

    /// Closes what the stream time says is over (`endOfInput`: everything still open), after
    /// settling what changed.
    public mutating func advance(endOfInput: Bool = false) -> [StageOutput] {
        var published = settle()
        published += run(references.advance(now: streamTime, endOfInput: endOfInput))
        published += run(shipments.advance(now: streamTime, endOfInput: endOfInput))
        // The scorecards of the receipts that closed.
        published += scorecards.settle()
        published += run(scorecards.advance(now: streamTime, endOfInput: endOfInput))
        return published
    }

    /// Hands each forward to its store, breadth first, and returns the records for output topics.
    mutating func run(_ outputs: [StageOutput]) -> [StageOutput] {
        StageOutput.deliver(outputs) { hop, key, message in
            switch hop {
            case .byReference: references.apply(key: key, message)
            case .byShipment: shipments.apply(key: key, message)
            case .bySupplier: scorecards.apply(key: key, message)
            }
        }
    }
}

extension StageOutput {
    /// The record's JSON (one line of `crossdock reconcile`), nil for a forward.
    public var recordBytes: [UInt8]? {
        switch self {
        case .reconciliation(let event): event.jsonBytes()
        case .scorecard(let event): event.jsonBytes()
        case .forward: nil
        }
    }

    /// The record's key, nil for a forward.
    public var recordKey: String? {
        switch self {
        case .reconciliation(let event): event.subject
        case .scorecard(let event): event.subject
        case .forward: nil
        }
    }
}
