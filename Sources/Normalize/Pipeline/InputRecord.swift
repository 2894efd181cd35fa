public import Model

// Stored optionals are spelled `Optional<T>` so that initialisers move their arguments into place
// (see `Item`).
/// One raw input: what a Kafka record (or a file given to `crossdock normalize`) carries.
public struct InputRecord: Sendable {
    public var value: [UInt8]
    public var key: Optional<[UInt8]>
    /// Transport headers; `crossdock-partner` names the sender when an API gateway set it.
    public var headers: [(key: String, value: String)]
    /// Where it came from: a topic position or a file.
    public var source: SourcePosition
    /// When the hub processed it (the `recordedtime` extension).
    public var recordedAt: Timestamp
    /// The partner that owns the topic the record came from, when the hub's configuration gives
    /// one (`topics.partners`): only that partner can write to it.
    public var topicPartner: Optional<String>

    public init(
        value: [UInt8], key: [UInt8]? = nil, headers: [(key: String, value: String)] = [], source: SourcePosition,
        recordedAt: Timestamp, topicPartner: String? = nil
    ) {
        self.value = value
        self.key = key
        self.headers = headers
        self.source = source
        self.recordedAt = recordedAt
        self.topicPartner = topicPartner
    }

    public func header(_ name: String) -> String? { headers.first { $0.key == name }?.value }

    /// The partner named by the transport: the owner of the topic, else the `crossdock-partner`
    /// header of an API gateway.
    public var transportPartner: String? { topicPartner ?? header("crossdock-partner") }

    /// Whether `value` is only the first bytes of the input: reading stopped past the size limit
    /// (`crossdock normalize` of a device or an endless pipe), so the input's length is unknown.
    public var isCut = false

    /// Names of transport headers whose value is not text (not UTF-8, or null): kept apart, so a
    /// header Crossdock reads is never taken as absent when it was sent unreadable.
    public var unreadableHeaders: [String] = []

    /// The transport header that names the sender.
    public static let partnerHeader = "crossdock-partner"

    /// What is wrong with the headers Crossdock reads: a record has one sender, so one
    /// `crossdock-partner` header at most, holding text.
    public var headerDiagnostics: [Diagnostic] {
        let location = "header \(Self.partnerHeader)"
        let named = headers.filter { $0.key == Self.partnerHeader }.map(\.value)
        let unreadable = unreadableHeaders.count { $0 == Self.partnerHeader }
        var findings: [Diagnostic] = []
        if unreadable > 0 {
            findings.append(.error(.headerInvalid, "the \(Self.partnerHeader) header is not UTF-8 text", at: location))
        }
        if named.contains(where: \.isEmpty) {
            findings.append(.error(.headerInvalid, "the \(Self.partnerHeader) header is empty", at: location))
        }
        if named.count + unreadable > 1 {
            let values = named.map { "'\(HeaderText.escape($0))'" }.joined(separator: ", ")
            findings.append(
                .error(
                    .partnerMismatch,
                    "the record carries \(named.count + unreadable) \(Self.partnerHeader) headers (\(values)); a record has one sender",
                    at: location))
        }
        return findings
    }

    /// The topic's owner and the `crossdock-partner` header disagree: the record is not trusted.
    var transportConflict: (topic: String, header: String)? {
        guard let topicPartner, let named = header("crossdock-partner"), named != topicPartner else { return nil }
        return (topicPartner, named)
    }
}

/// What became of an input: each document in it is a canonical event or a rejection.
public enum Outcome: Sendable, Hashable {
    case event(CanonicalEvent)
    case rejected(CloudEvent<RejectedRecord>)

    public var isRejection: Bool { if case .rejected = self { true } else { false } }

    /// The JSON line `crossdock normalize` prints and the record value the hub produces.
    public func jsonBytes() -> [UInt8] {
        switch self {
        case .event(let event): event.jsonBytes()
        case .rejected(let rejection): rejection.jsonBytes()
        }
    }
}

/// Findings tagged with the stage that produced them, so a rejection can say where it failed.
///
/// At most ``listed`` are kept (and the first error past them): a document with half a million
/// problems is rejected with its first thousand and the number of the others, not with all of
/// them held in memory and written out.
struct Findings {
    private(set) var items: [(stage: RejectionStage, diagnostic: Diagnostic)] = []
    /// Findings past ``listed``, counted only.
    private(set) var omitted = 0
    private var errors = 0

    static let listed = 1_000

    mutating func add(_ diagnostic: Diagnostic, _ stage: RejectionStage) {
        guard items.count < Self.listed || (diagnostic.severity == .error && errors == 0) else {
            omitted += 1
            return
        }
        items.append((stage, diagnostic))
        if diagnostic.severity == .error { errors += 1 }
    }

    mutating func add(_ diagnostics: [Diagnostic], _ stage: RejectionStage) {
        for diagnostic in diagnostics { add(diagnostic, stage) }
    }

    /// Every finding kept, and a note of how many were not.
    var all: [Diagnostic] {
        let kept = items.map(\.diagnostic)
        guard omitted > 0 else { return kept }
        return kept + [
            Diagnostic(
                severity: .info, code: .findingsOmitted, message: "\(omitted) more findings of this document are not listed")
        ]
    }
    var hasErrors: Bool { errors > 0 }
    var warnings: [Diagnostic] { all.filter { $0.severity != .error } }
    /// The stage of the first error.
    var failedStage: RejectionStage? { items.first { $0.diagnostic.severity == .error }?.stage }

    /// Applies a partner's severity overrides (`severity: {X12_ENVELOPE: warning}`).
    mutating func applySeverity(_ overrides: [String: Severity]) {
        guard !overrides.isEmpty else { return }
        for index in items.indices {
            if let severity = overrides[items[index].diagnostic.code.rawValue] {
                items[index].diagnostic.severity = severity
            }
        }
        errors = items.count { $0.diagnostic.severity == .error }
    }
}
