import Hub
import Kafka
import Testing

@Suite("Offset tracker")
struct OffsetTrackerTests {
    let p0 = KafkaTopicPartition(topic: "raw", partition: 0)
    let p1 = KafkaTopicPartition(topic: "raw", partition: 1)

    @Test("an offset is committable only when its outputs and every earlier record's are acknowledged")
    func order() {
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 10, outputs: 2)
        tracker.begin(p0, offset: 11, outputs: 0)
        tracker.begin(p0, offset: 12, outputs: 1)
        tracker.begin(p1, offset: 5, outputs: 1)
        #expect(tracker.inFlight == 4)
        tracker.acknowledge(p0, offset: 12)
        #expect(tracker.takeCommittable().isEmpty)  // 10 is still waiting
        tracker.acknowledge(p0, offset: 10)
        #expect(tracker.takeCommittable().isEmpty)  // one of 10's two outputs
        tracker.acknowledge(p0, offset: 10)
        #expect(tracker.takeCommittable() == [p0: 13])
        tracker.acknowledge(p1, offset: 5)
        #expect(tracker.takeCommittable() == [p1: 6])
        #expect(tracker.inFlight == 0 && tracker.isDrained())
    }

    @Test("a long stream keeps a bounded list and commits its last offset")
    func longStream() {
        var tracker = OffsetTracker()
        for offset in Int64(0)..<50_000 {
            tracker.begin(p0, offset: offset, outputs: 1)
            if offset >= 100 { tracker.acknowledge(p0, offset: offset - 100) }
        }
        for offset in Int64(49_900)..<50_000 { tracker.acknowledge(p0, offset: offset) }
        #expect(tracker.takeCommittable() == [p0: 50_000])
        #expect(tracker.inFlight == 0 && tracker.isDrained())
    }
}
