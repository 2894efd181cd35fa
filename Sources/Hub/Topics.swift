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
        masterDataLocations = prefix + masterDataLocations
        masterDataItems = prefix + masterDataItems
        masterDataPartners = prefix + masterDataPartners
    }

    public var raw: [String] { [rawShipNotices, rawScans, rawCarrierStatus] }
    public var canonical: [String] { [shipmentNotices, inventoryEvents, carrierStatus] }
    /// Compacted: the latest record per key is the current master data.
    public var masterData: [String] { [masterDataLocations, masterDataItems, masterDataPartners] }
    public var all: [String] { raw + canonical + [rejected, acknowledgments, acknowledgmentsReceived] + masterData }

    /// Creation specs for every topic: master-data topics compacted, the others deleted by time.
    public func specs(partitions: Int, replicationFactor: Int) -> [KafkaTopicSpec] {
        let streams = (raw + canonical + [rejected, acknowledgments, acknowledgmentsReceived]).map {
            KafkaTopicSpec(name: $0, partitions: partitions, replicationFactor: replicationFactor)
        }
        let compacted = masterData.map {
            KafkaTopicSpec(
                name: $0, partitions: 1, replicationFactor: replicationFactor,
                configs: ["cleanup.policy": "compact"])
        }
        return streams + compacted
    }
}
