@testable import Hub
import Kafka
import TestSupport
import Testing

/// The master-data reader's client settings, taken from the hub's.
@Suite("Master-data feed")
struct MasterDataFeedTests {
    @Test("its fetches wait at least 500 ms, however short the hub's consumer waits; longer waits are kept")
    func fetchWait() {
        let wait = { (properties: [String: String]) in
            MasterDataFeed.consumerConfiguration(KafkaConfiguration(bootstrapServers: ["b:9092"], properties: properties))
                .properties["fetch.wait.max.ms"]
        }
        #expect(wait([:]) == "500")
        #expect(wait(["fetch.wait.max.ms": "10"]) == "500")
        #expect(wait(["fetch.wait.max.ms": "2000"]) == "2000")
        let other = MasterDataFeed.consumerConfiguration(
            KafkaConfiguration(bootstrapServers: ["b:9092"], properties: ["fetch.wait.max.ms": "10", "security.protocol": "SSL"]))
        #expect(other.properties["security.protocol"] == "SSL")
        #expect(other.bootstrapServers == ["b:9092"])
    }
}
