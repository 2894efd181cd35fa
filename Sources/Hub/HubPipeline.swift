public import Kafka

/// The hub's core as a pure state machine: what the record loop does next, decided from what
/// happened. Events come in (records begun, outputs acknowledged or failed, partitions revoked or
/// lost, a stop asked for, the time); actions go out (pause, resume, commit, drain, stop, restart).
/// The Kafka layer (``HubService``) only carries the actions out, so every rule is tested without
/// a broker, as transcripts (Tests/HubTests/HubPipelineTests.swift).
///
/// Rules:
/// - an input offset is committed only when every output of its record and of every earlier
///   record of its partition was acknowledged (``OffsetTracker``);
/// - the partitions pause while more than `maxInFlight` outputs wait for acknowledgement, and
///   resume below half of it;
/// - committable offsets are committed every `commitInterval`, on a revoke (after the revoked
///   partitions' outputs are drained, or the drain gave up), and at the end;
/// - a failed output stops the pipeline without committing past it: it restarts with new clients
///   and the uncommitted inputs are read again;
/// - a stop drains what is in flight, commits it, and ends.
public struct HubPipeline: Sendable {
    public struct Settings: Sendable {
        public var maxInFlight: Int
        public var commitInterval: Duration

        public init(maxInFlight: Int, commitInterval: Duration) {
            self.maxInFlight = maxInFlight
            self.commitInterval = commitInterval
        }
    }

    /// What the loop does before its next poll.
    public enum Action: Sendable, Equatable {
        /// Pause every assigned partition (then report them with ``paused(_:)``).
        case pauseAssignment
        case resume([KafkaTopicPartition])
        case commit([KafkaTopicPartition: Int64])
        /// Fetch the next records.
        case poll
        /// Leave the loop: drain what is in flight, commit what finished, close.
        case drainAndStop
        /// Leave the loop for a restart with new clients, committing nothing past `reason`.
        case restart(reason: String)
    }

    /// What a revoke needs: wait (serving deliveries) until ``isDrained(_:)`` or the deadline.
    public static let revokeDrainLimit: Duration = .seconds(20)

    public let settings: Settings
    public private(set) var tracker = OffsetTracker()
    private var paused: [KafkaTopicPartition] = []
    private var pausing = false
    private var lastCommit: Duration
    private var stopping = false
    public private(set) var failure: String?

    /// `now`: the time on the injected clock (any origin) when the pipeline starts.
    public init(settings: Settings, now: Duration) {
        self.settings = settings
        lastCommit = now
    }

    // MARK: Events

    /// An input record was processed into `outputs` records now being produced.
    public mutating func begun(_ partition: KafkaTopicPartition, offset: Int64, outputs: Int) {
        tracker.begin(partition, offset: offset, outputs: outputs)
    }

    /// Outputs the broker acknowledged, by their input's partition and offset.
    public mutating func acknowledged(_ outputs: some Sequence<(KafkaTopicPartition, Int64)>) {
        tracker.acknowledge(outputs)
    }

    /// Outputs the broker acknowledged, as a list.
    public mutating func acknowledged(_ outputs: [(KafkaTopicPartition, Int64)]) {
        tracker.acknowledge(outputs)
    }

    /// An output could not be delivered (or produced): the first reason is kept.
    public mutating func failed(_ reason: String) {
        failure = failure ?? reason
    }

    /// The partitions ``Action/pauseAssignment`` paused.
    public mutating func paused(_ partitions: [KafkaTopicPartition]) {
        paused = partitions
        pausing = false
    }

    public mutating func stopRequested() { stopping = true }

    public var isStopping: Bool { stopping || failure != nil }

    public var inFlight: Int { tracker.inFlight }

    /// Whether the outputs of these partitions are all acknowledged.
    public func isDrained(_ partitions: [KafkaTopicPartition]) -> Bool { tracker.isDrained(partitions) }

    /// Partitions revoked by a rebalance, after their drain (finished or given up): what to commit
    /// for them (and for every other partition that has something), then they are forgotten; what
    /// was not acknowledged is read again by their next owner.
    public mutating func revoked(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
        let offsets = tracker.takeCommittable()
        tracker.forget(partitions)
        paused.removeAll { partitions.contains($0) }
        return offsets
    }

    /// Partitions lost (the member left the group): nothing may be committed for them.
    public mutating func lost(_ partitions: [KafkaTopicPartition]) {
        tracker.forget(partitions)
        paused.removeAll { partitions.contains($0) }
    }

    // MARK: Decisions

    /// What to do before the next poll, at `now` on the injected clock: leave the loop, or the
    /// control actions (pause or resume, a commit when due) followed by ``Action/poll``.
    public mutating func next(now: Duration) -> [Action] {
        if let failure { return [.restart(reason: failure)] }
        if stopping { return [.drainAndStop] }
        var actions: [Action] = []
        let inFlight = tracker.inFlight
        if inFlight > settings.maxInFlight {
            if paused.isEmpty, !pausing {
                pausing = true
                actions.append(.pauseAssignment)
            }
        } else if !paused.isEmpty, inFlight < settings.maxInFlight / 2 {
            actions.append(.resume(paused))
            paused = []
        }
        if now - lastCommit >= settings.commitInterval {
            lastCommit = now
            let offsets = tracker.takeCommittable()
            if !offsets.isEmpty { actions.append(.commit(offsets)) }
        }
        actions.append(.poll)
        return actions
    }

    /// What is left to commit when the loop ends (after the drain).
    public mutating func finalCommit() -> [KafkaTopicPartition: Int64] {
        tracker.takeCommittable()
    }
}
