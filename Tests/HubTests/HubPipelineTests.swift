import Hub
import Kafka
import Testing

/// The hub's core rules as transcripts: events in, actions out, no broker, no clock but the one
/// given.
@Suite("Hub pipeline (state machine)")
struct HubPipelineTests {
    let p0 = KafkaTopicPartition(topic: "raw", partition: 0)
    let p1 = KafkaTopicPartition(topic: "raw", partition: 1)

    func pipeline(maxInFlight: Int = 10, commitEvery: Duration = .seconds(1)) -> HubPipeline {
        HubPipeline(settings: .init(maxInFlight: maxInFlight, commitInterval: commitEvery), now: .zero)
    }

    @Test("a commit comes when due, with only what every earlier output of the partition allows")
    func commitAfterAcknowledgement() {
        var machine = pipeline()
        machine.begun(p0, offset: 10, outputs: 2)
        machine.begun(p0, offset: 11, outputs: 1)
        machine.begun(p1, offset: 5, outputs: 1)
        #expect(machine.next(now: .milliseconds(500)) == [.poll])
        machine.acknowledged([(p0, 11), (p1, 5)])
        // Due, but 10 is not acknowledged: only p1 is committed.
        #expect(machine.next(now: .seconds(1)) == [.commit([p1: 6]), .poll])
        machine.acknowledged([(p0, 10)])
        #expect(machine.next(now: .milliseconds(1500)) == [.poll])  // not due yet
        machine.acknowledged([(p0, 10)])
        #expect(machine.next(now: .seconds(2)) == [.commit([p0: 12]), .poll])
        #expect(machine.next(now: .seconds(3)) == [.poll])  // nothing new
    }

    @Test("more than maxInFlight unacknowledged: pause; below half: resume the paused partitions")
    func backpressure() {
        var machine = pipeline(maxInFlight: 10)
        for offset in Int64(0)..<11 { machine.begun(p0, offset: offset, outputs: 1) }
        #expect(machine.next(now: .zero) == [.pauseAssignment, .poll])
        // Until the I/O says what it paused, no second pause.
        #expect(machine.next(now: .zero) == [.poll])
        machine.paused([p0, p1])
        #expect(machine.next(now: .zero) == [.poll])  // paused already
        machine.acknowledged((0..<5).map { (p0, Int64($0)) })
        #expect(machine.next(now: .zero) == [.poll])  // 6 in flight: not below half
        machine.acknowledged([(p0, 5), (p0, 6)])
        #expect(machine.next(now: .zero) == [.resume([p0, p1]), .poll])
        #expect(machine.next(now: .zero) == [.poll])
    }

    @Test("a failed output: restart, committing only what finished before it")
    func failure() {
        var machine = pipeline()
        machine.begun(p0, offset: 1, outputs: 1)
        machine.begun(p0, offset: 2, outputs: 1)
        machine.acknowledged([(p0, 1)])
        machine.failed("output of raw[0]@2 not delivered: broker lost the producer")
        machine.failed("a later one")
        #expect(machine.next(now: .zero) == [.restart(reason: "output of raw[0]@2 not delivered: broker lost the producer")])
        #expect(machine.isStopping)
        #expect(machine.finalCommit() == [p0: 2])
    }

    @Test("a stop: drain and stop; what finished is committed at the end")
    func stop() {
        var machine = pipeline()
        machine.begun(p0, offset: 7, outputs: 1)
        machine.stopRequested()
        #expect(machine.next(now: .zero) == [.drainAndStop])
        #expect(!machine.isDrained([p0]))
        machine.acknowledged([(p0, 7)])
        #expect(machine.isDrained([p0]))
        #expect(machine.finalCommit() == [p0: 8])
    }

    @Test("a revoke: commit what the drain finished, forget the partition, keep the others")
    func revoke() {
        var machine = pipeline()
        machine.begun(p0, offset: 1, outputs: 1)
        machine.begun(p0, offset: 2, outputs: 1)
        machine.begun(p1, offset: 9, outputs: 1)
        machine.acknowledged([(p0, 1)])
        // The drain gave up with offset 2 unacknowledged: 2 is read again by the next owner.
        #expect(!machine.isDrained([p0]))
        #expect(machine.revoked([p0]) == [p0: 2])
        #expect(machine.inFlight == 1)
        // A late acknowledgement of the forgotten partition changes nothing.
        machine.acknowledged([(p0, 2)])
        #expect(machine.inFlight == 1)
        machine.acknowledged([(p1, 9)])
        #expect(machine.next(now: .seconds(1)) == [.commit([p1: 10]), .poll])
    }

    @Test("lost partitions: nothing committed for them, their outputs no longer counted")
    func lost() {
        var machine = pipeline(maxInFlight: 2)
        for offset in Int64(0)..<3 { machine.begun(p0, offset: offset, outputs: 1) }
        #expect(machine.next(now: .zero) == [.pauseAssignment, .poll])
        machine.paused([p0])
        machine.lost([p0])
        #expect(machine.inFlight == 0)
        #expect(machine.next(now: .seconds(5)) == [.poll])
    }
}
