@testable import Hub
import Kafka
import TestSupport
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

    @Test("acknowledgements in batches (runs of partitions, unknown ones among them) count as one by one")
    func batches() {
        let p2 = KafkaTopicPartition(topic: "other", partition: 0)
        let unknown = KafkaTopicPartition(topic: "gone", partition: 3)
        var single = OffsetTracker()
        var batched = OffsetTracker()
        var outputs: [(KafkaTopicPartition, Int64)] = []
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        for offset in Int64(0)..<300 {
            for partition in [p0, p1, p2] {
                let count = next(3)
                single.begin(partition, offset: offset, outputs: count)
                batched.begin(partition, offset: offset, outputs: count)
                outputs += Array(repeating: (partition, offset), count: count)
            }
        }
        // Out of order within reach, and acknowledgements nobody waits for.
        for index in outputs.indices.dropLast(8) where next(2) == 0 { outputs.swapAt(index, index + next(8)) }
        outputs.insert((unknown, 4), at: 17)
        outputs.insert((p0, 5_000), at: 40)
        var position = 0
        while position < outputs.count {
            let run = outputs[position..<min(outputs.count, position + 1 + next(60))]
            for (partition, offset) in run { single.acknowledge(partition, offset: offset) }
            batched.acknowledge(run)
            position = run.endIndex
            #expect(batched.inFlight == single.inFlight)
            #expect(batched.takeCommittable() == single.takeCommittable())
        }
        #expect(batched.inFlight == 0 && batched.isDrained())
    }
}

@Suite("Trace context")
struct TraceContextTests {
    @Test("traceparent values are read as W3C Trace Context says: bad ones are ignored")
    func parse() {
        #expect(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        for bad in [
            "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            #expect(TraceContext.parse(bad) == nil, "\(bad)")
        }
        // A later version may add fields.
        #expect(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
    }

    @Test("the hub's span: the parent's trace and flags, an id of its own, the same on re-delivery")
    func child() {
        let headers = [KafkaHeader(key: "traceparent", string: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")]
        let record = KafkaConsumerRecord(topic: "t", partition: 1, offset: 7, key: nil, value: [], headers: headers)
        let child = TraceContext.child(of: record)
        #expect(child.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && child.flags == "00" && child.spanID != "00f067aa0ba902b7")
        #expect(TraceContext.child(of: record) == child)
        let fresh = TraceContext.child(of: KafkaConsumerRecord(topic: "t", partition: 1, offset: 7, key: nil, value: []))
        #expect(fresh.traceID.count == 32 && fresh.flags == "01")
        #expect(fresh != TraceContext.child(of: KafkaConsumerRecord(topic: "t", partition: 1, offset: 8, key: nil, value: [])))
    }
}
