public import Formats
public import MasterData
public import Model

/// The acknowledgments an input record gets back: for X12, a TA1 and a 997 per interchange, as
/// its sender's profile asks (`acknowledgments:`). An input that gets none says why.
public enum Acknowledgments {
    /// One acknowledgment interchange, addressed to its partner.
    public struct Written: Sendable {
        public var partner: String
        /// `application/edi-x12` or `application/edifact`.
        public var contentType: String
        /// The control number of the interchange acknowledged.
        public var acknowledges: String
        /// `accepted`, `partial` or `rejected`.
        public var status: String
        public var bytes: [UInt8]
    }

    /// Why an input gets no acknowledgment.
    public struct Reason: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The acknowledgments of `value`. `named` is the partner a transport names (a partner's own
    /// topic, the crossdock-partner header): an interchange from another partner gets none.
    /// `sender` is our side of the envelope (nil: the input's receiver).
    /// An acknowledgment larger than `maximumBytes` is written again with less detail (AK2/AK5
    /// only, then AK1/AK9 only), so that it fits where it is produced.
    ///
    /// `observer`: what the normaliser saw of `value` as it read it; without one (or when it read
    /// no EDI), `value` is read here.
    public static func make(
        _ value: [UInt8], partner named: String? = nil, snapshot: MasterDataSnapshot, time: Timestamp,
        sender: X12AcknowledgmentOptions.Sender? = nil, edifactSender: (id: String, qualifier: String)? = nil, maximumBytes: Int = .max,
        observed observer: EDIObserver? = nil
    ) -> Result<[Written], Reason> {
        let seen: EDIObserver
        if let observer, observer.sawInput {
            seen = observer
        } else {
            seen = EDIObserver()
            switch InputFormat.sniff(value) {
            case .x12: seen.x12Result = X12Reader.read(value) { seen.x12.add($0) }
            case .edifact: seen.edifactResult = EdifactReader.read(value) { seen.edifact.add($0) }
            case .json, nil: return .failure(Reason(description: "the input is not EDI (X12 or EDIFACT): only EDI is acknowledged"))
            }
        }
        if let result = seen.x12Result {
            var written = x12(seen.x12, result, partner: named, snapshot: snapshot, time: time, sender: sender, detail: nil)
            for detail in [X12AcknowledgmentOptions.Detail.set, .group] {
                guard case .success(let acks) = written, acks.contains(where: { $0.bytes.count > maximumBytes }) else { break }
                written = x12(seen.x12, result, partner: named, snapshot: snapshot, time: time, sender: sender, detail: detail)
            }
            return written
        }
        guard let result = seen.edifactResult else { return .failure(Reason(description: "no interchange could be read")) }
        return edifact(seen.edifact, result, partner: named, snapshot: snapshot, time: time, sender: edifactSender)
    }

    static func edifact(
        _ collector: EdifactAcknowledgmentCollector, _ result: EdifactReadResult, partner named: String?, snapshot: MasterDataSnapshot,
        time: Timestamp, sender: (id: String, qualifier: String)?
    ) -> Result<[Written], Reason> {
        var reasons: [String] = []
        var partners: [Int: String] = [:]
        let written = collector.acknowledgments(result, time: time) { interchange in
            let header = interchange.header
            guard let profile = header.senderIdentifiers.lazy.compactMap({ snapshot.partner(identifier: $0, format: "edifact") }).first else {
                reasons.append("interchange \(header.controlReference): sender '\(header.sender)' (edifact) matches no partner profile")
                return nil
            }
            if let named, named != profile.partner {
                reasons.append("interchange \(header.controlReference) is from partner \(profile.partner), not \(named)")
                return nil
            }
            partners[header.offset] = profile.partner
            let policy = EdifactAcknowledgmentOptions.Policy(rawValue: profile.acknowledgment("edifact")) ?? .contrl
            if policy == .contrl, header.acknowledgmentRequest != "1" {
                reasons.append("interchange \(header.controlReference) asks for no acknowledgment (UNB 0031) and the profile gives none unasked")
            }
            return EdifactAcknowledgmentOptions(policy: policy, messages: profile.acknowledgment("detail") != "group", sender: sender)
        }
        return collected(
            written.map { ($0.acknowledges, $0.interchangeOffset, $0.status, $0.bytes) }, interchanges: result.interchanges.count,
            reasons: reasons, partners: partners, contentType: "application/edifact")
    }

    /// The acknowledgments written, each addressed to the partner of its interchange; or why there
    /// are none.
    static func collected(
        _ written: [(acknowledges: String, offset: Int, status: String, bytes: [UInt8])], interchanges: Int, reasons: [String],
        partners: [Int: String], contentType: String
    ) -> Result<[Written], Reason> {
        guard !written.isEmpty else {
            var reasons = reasons
            if interchanges == 0 { reasons.append("no interchange could be read") }
            if reasons.isEmpty { reasons.append("its sender's profile asks for none, or it holds only acknowledgments") }
            return .failure(Reason(description: reasons.joined(separator: "; ")))
        }
        return .success(
            written.map { ack in
                Written(
                    partner: partners[ack.offset] ?? "", contentType: contentType, acknowledges: ack.acknowledges, status: ack.status,
                    bytes: ack.bytes)
            })
    }

    /// `detail`: less than the profile asks for, when that was too large.
    static func x12(
        _ collector: X12AcknowledgmentCollector, _ result: X12ReadResult, partner named: String?, snapshot: MasterDataSnapshot,
        time: Timestamp, sender: X12AcknowledgmentOptions.Sender?, detail: X12AcknowledgmentOptions.Detail?
    ) -> Result<[Written], Reason> {
        var reasons: [String] = []
        var partners: [Int: String] = [:]
        let written = collector.acknowledgments(result, time: time) { interchange in
            let header = interchange.header
            let profile =
                header.senderIdentifiers.lazy.compactMap { snapshot.partner(identifier: $0, format: "x12") }.first
                ?? interchange.groups.lazy.compactMap { snapshot.partner(groupIdentifier: $0.header.senderCode, format: "x12") }.first
            guard let profile else {
                reasons.append("interchange \(header.controlNumber): sender '\(header.senderID)' (x12) matches no partner profile")
                return nil
            }
            if let named, named != profile.partner {
                reasons.append("interchange \(header.controlNumber) is from partner \(profile.partner), not \(named)")
                return nil
            }
            let options = X12AcknowledgmentOptions(
                functionalAcknowledgment: profile.acknowledgment("x12") == "997",
                ta1: X12AcknowledgmentOptions.TA1Policy(rawValue: profile.acknowledgment("ta1")) ?? .onError,
                detail: detail ?? X12AcknowledgmentOptions.Detail(rawValue: profile.acknowledgment("detail")) ?? .element, sender: sender,
                severity: profile.severity)
            partners[header.offset] = profile.partner
            return options
        }
        return collected(
            written.map { ($0.acknowledges, $0.interchangeOffset, $0.status, $0.bytes) }, interchanges: result.interchanges.count,
            reasons: reasons, partners: partners, contentType: "application/edi-x12")
    }
}

extension Acknowledgments {
    /// An acknowledgment a partner sent us (X12 997, 999 or TA1; EDIFACT CONTRL): recognised, so
    /// that it is recorded rather than rejected as a document Crossdock does not read.
    public struct Received: Sendable {
        /// `x12-997`, `x12-999`, `x12-ta1` or `edifact-contrl`.
        public var format: String
        /// What it says: `accepted`, `partial` or `rejected`.
        public var status: String
        /// The control numbers it acknowledges (GS06 from AK102, ISA13 from TA101, UNB 0020 from UCI).
        public var acknowledges: [String]
        /// How its sender identifies itself (ISA05:ISA06 then ISA06; UNB sender with and without
        /// its qualifier).
        public var senderIdentifiers: [String]
        public var contentType: String

        /// The partner that sent it, by its identifiers.
        public func partner(in snapshot: MasterDataSnapshot) -> String? {
            let family = format.hasPrefix("x12") ? "x12" : "edifact"
            return senderIdentifiers.lazy.compactMap { snapshot.partner(identifier: $0, format: family)?.partner }.first
        }
    }

    /// The acknowledgment `value` is, when it is one and nothing else.
    public static func received(_ value: [UInt8]) -> Received? {
        switch InputFormat.sniff(value) {
        case .x12: receivedX12(value)
        case .edifact: receivedEdifact(value)
        case .json, nil: nil
        }
    }

    static func receivedX12(_ value: [UInt8]) -> Received? {
        guard let first = X12Reader.firstSetType(value) else {
            // No set at all: an interchange of TA1s only.
            let result = X12Reader.read(value) { _ in }
            let statuses = result.interchanges.flatMap(\.interchangeAcknowledgments)
            guard !statuses.isEmpty, result.interchanges.allSatisfy({ $0.groups.isEmpty }) else { return nil }
            let header = result.interchanges[0].header
            return Received(
                format: "x12-ta1", status: overall(statuses.map { $0 == "A" ? "A" : $0 == "E" ? "E" : "R" }),
                acknowledges: [], senderIdentifiers: header.senderIdentifiers, contentType: "application/edi-x12")
        }
        guard first == "997" || first == "999" else { return nil }
        var statuses: [String] = []
        var acknowledged: [String] = []
        var types = Set<String>()
        let result = X12Reader.read(value) { set in
            types.insert(set.type)
            for segment in set.segments {
                if segment.hasTag("AK1"), let group = segment.value(2) { acknowledged.append(group) }
                if segment.hasTag("AK9"), let status = segment.value(1) { statuses.append(status) }
            }
        }
        guard types.isSubset(of: ["997", "999"]), let header = result.interchanges.first?.header else { return nil }
        return Received(
            format: "x12-\(first)", status: overall(statuses), acknowledges: acknowledged,
            senderIdentifiers: header.senderIdentifiers, contentType: "application/edi-x12")
    }

    static func receivedEdifact(_ value: [UInt8]) -> Received? {
        // Read whole only when its first message is one (every document else is not).
        guard EdifactReader.firstMessageType(value) == "CONTRL" else { return nil }
        var statuses: [String] = []
        var acknowledged: [String] = []
        var types = Set<String>()
        let result = EdifactReader.read(value) { message in
            types.insert(message.type)
            for segment in message.segments where segment.tag == "UCI" {
                acknowledged.append(segment[1, 1])
                // 0083: 7 acknowledged, 4 rejected, 8 received.
                statuses.append(segment[4, 1] == "4" ? "R" : "A")
            }
        }
        guard types == ["CONTRL"], let header = result.interchanges.first?.header else { return nil }
        return Received(format: "edifact-contrl", status: overall(statuses), acknowledges: acknowledged, senderIdentifiers: header.senderIdentifiers, contentType: "application/edifact")
    }

    /// X12 status codes (A, E, P, R) as one word: accepted when every one is A or E, rejected when
    /// every one is R, else partial.
    static func overall(_ statuses: [String]) -> String {
        if !statuses.isEmpty, statuses.allSatisfy({ $0 == "A" || $0 == "E" }) { return "accepted" }
        if !statuses.isEmpty, statuses.allSatisfy({ $0 == "R" }) { return "rejected" }
        return statuses.isEmpty ? "rejected" : "partial"
    }
}
