public import Kafka

/// The topics Crossdock reads and writes. The defaults are those of the canonical model; every
/// name can be changed in configuration.
public struct Topics: Sendable, Hashable {
    public var rawShipNotices = "suppliers.asn.raw"
    public var rawScans = "scanners.events.raw"
    public var rawCarrierStatus = "carriers.status.raw"
    public var shipmentNotices = "canonical.shipment-notices.v1"
    public var inventoryEvents = "canonical.inventory-events.v1"
    public var carrierStatus = "canonical.carrier-status.v1"
    public var rejected = "crossdock.rejected.v1"
    /// Acknowledgments to partners (X12 997/TA1): key = partner id, value = the interchange.
    public var acknowledgments = "crossdock.acks.outbound.v1"
    /// Acknowledgments partners sent us (997, 999, TA1, CONTRL), recorded: key = partner id, value
    /// = the interchange as received.
    public var acknowledgmentsReceived = "crossdock.acks.inbound.v1"
    /// `crossdock.receipt.reconciliation.v1` records of the reconciliation stage: key = receipt id.
    public var receiptReconciliations = "canonical.receipt-reconciliations.v1"
    /// `crossdock.supplier.scorecard.v1` records: key = `<supplier>@<site>`.
    public var supplierScorecards = "canonical.supplier-scorecards.v1"
    public var masterDataLocations = "masterdata.locations.v1"
    public var masterDataItems = "masterdata.items.v1"
    /// Partner profiles: key = partner id, value = the text of its `partners/*.yaml` file.
    public var masterDataPartners = "masterdata.partners.v1"

    public init() {}

    /// Every default name with a prefix, for runs that must not touch the real topics.
    public init(prefix: String) {
        rawShipNotices = prefix + rawShipNotices
        rawScans = prefix + rawScans
        rawCarrierStatus = prefix + rawCarrierStatus
        shipmentNotices = prefix + shipmentNotices
        inventoryEvents = prefix + inventoryEvents
        carrierStatus = prefix + carrierStatus
        rejected = prefix + rejected
        acknowledgments = prefix + acknowledgments
        acknowledgmentsReceived = prefix + acknowledgmentsReceived
        receiptReconciliations = prefix + receiptReconciliations
        supplierScorecards = prefix + supplierScorecards
        masterDataLocations = prefix + masterDataLocations
        masterDataItems = prefix + masterDataItems
        masterDataPartners = prefix + masterDataPartners
    }

    public var raw: [String] { [rawShipNotices, rawScans, rawCarrierStatus] }
    public var canonical: [String] { [shipmentNotices, inventoryEvents, carrierStatus] }
    /// Compacted: the latest record per key is the current master data.
    public var masterData: [String] { [masterDataLocations, masterDataItems, masterDataPartners] }
    /// The reconciliation stage's outputs.
    public var reconciliation: [String] { [receiptReconciliations, supplierScorecards] }
    /// The reconciliation stage's own topics, named after its consumer group as Kafka Streams
    /// names an application's (two deployments never share them): per store (references,
    /// shipments, scorecards) a repartition topic keyed by what the store joins on, and its
    /// compacted changelog, partition for partition.
    public static func reconcileRepartition(group: String) -> [String] {
        ["references", "shipments", "scorecards"].map { "\(group)-\($0)-repartition" }
    }
    public static func reconcileChangelogs(group: String) -> [String] {
        ["references", "shipments", "scorecards"].map { "\(group)-\($0)-changelog" }
    }
    /// The default group of ``HubConfiguration/reconcileGroup``.
    public static let defaultReconcileGroup = "crossdock-reconcile"

    public var all: [String] {
        raw + canonical + [rejected, acknowledgments, acknowledgmentsReceived] + reconciliation
            + Self.reconcileRepartition(group: Self.defaultReconcileGroup) + Self.reconcileChangelogs(group: Self.defaultReconcileGroup)
            + masterData
    }

    /// Creation specs for every topic: master-data topics compacted, the others deleted by time.
    public func specs(partitions: Int, replicationFactor: Int, reconcileGroup: String = Self.defaultReconcileGroup) -> [KafkaTopicSpec] {
        let streams = (raw + canonical + [rejected, acknowledgments, acknowledgmentsReceived]).map {
            KafkaTopicSpec(name: $0, partitions: partitions, replicationFactor: replicationFactor)
        }
        // The reconciliation stage's records grow with a receipt (CorrelationService.maximumRecordBytes).
        let large = ["max.message.bytes": String(CorrelationService.maximumRecordBytes + (64 << 10))]
        let repartition = Self.reconcileRepartition(group: reconcileGroup).map {
            KafkaTopicSpec(name: $0, partitions: partitions, replicationFactor: replicationFactor, configs: large)
        }
        // A reconciliation is superseded by the next one of its receipt, a scorecard by the next
        // one of its supplier and site; a changelog is a store's state, partition for partition.
        let latest = (reconciliation + Self.reconcileChangelogs(group: reconcileGroup)).map {
            KafkaTopicSpec(
                name: $0, partitions: partitions, replicationFactor: replicationFactor,
                configs: large.merging(["cleanup.policy": "compact"]) { $1 })
        }
        let compacted = masterData.map {
            KafkaTopicSpec(
                name: $0, partitions: 1, replicationFactor: replicationFactor,
                configs: ["cleanup.policy": "compact"])
        }
        return streams + repartition + latest + compacted
    }
}
