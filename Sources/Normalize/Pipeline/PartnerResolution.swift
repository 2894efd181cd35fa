import MasterData
import Model



/// Finds the sending partner: from the document's own sender identifiers (EDI envelope, JSON
/// sender field) matched against the profiles, else from the transport's `crossdock-partner`
/// header. Never guessed: no match is `PARTNER_UNKNOWN`. A partner cannot speak for another: when
/// the transport names the sender (the topic's owner in `topics.partners`, or the header) and the
/// document's own identifiers name a different partner, the document is `PARTNER_MISMATCH`.
///
/// The interchange sender decides: identifiers come most specific first (the X12 ISA05:ISA06 or
/// EDIFACT UNB sender with its qualifier, then without, then the group's GS02 / UNG sender), and
/// a group sender that names another partner than the interchange's is `PARTNER_MISMATCH`. The
/// partner found must be set up for the document (`PARTNER_FORMAT`).
enum PartnerResolution {
    /// What kind of document asks: the partner kinds that send it.
    enum DocumentKind {
        case shipNotice, carrierStatus, scan

        var senders: [PartnerKind] {
            switch self {
            case .shipNotice: [.supplier, .thirdPartyLogistics]
            case .carrierStatus: [.carrier, .thirdPartyLogistics]
            case .scan: [.scannerGateway, .thirdPartyLogistics]
            }
        }
    }

    /// The names a profile's `formats` may give a document format (`json-carrier` is the tracking
    /// JSON's other name).
    static let formatNames: [String: Set<String>] = [
        "json-tracking": ["json-tracking", "json-carrier"],
    ]

    /// `identifiers`: interchange identifiers (most specific first), then `groupIdentifiers` (GS02,
    /// UNG sender) only when the interchange names no partner.
    static func resolve(
        identifiers: [String], groupIdentifiers: [String] = [], format: String, document: String, kind: DocumentKind,
        record: InputRecord, snapshot: MasterDataSnapshot, location: @autoclosure () -> String
    ) -> Result<PartnerProfile, Diagnostic> {
        if let conflict = record.transportConflict {
            return .failure(
                .error(
                    .partnerMismatch,
                    "the topic belongs to partner \(conflict.topic), but the crossdock-partner header says '\(conflict.header)'",
                    at: location()))
        }
        func found(_ identifiers: [String]) -> (identifier: String, profile: PartnerProfile)? {
            for identifier in identifiers {
                if let profile = snapshot.partner(identifier: identifier, format: format) { return (identifier, profile) }
            }
            return nil
        }
        let interchange = found(identifiers)
        var group: (identifier: String, profile: PartnerProfile)? = nil
        for identifier in groupIdentifiers {
            if let profile = snapshot.partner(groupIdentifier: identifier, format: format) {
                group = (identifier, profile)
                break
            }
        }
        if let interchange, let group, interchange.profile.partner != group.profile.partner {
            return .failure(
                .error(
                    .partnerMismatch,
                    "the interchange sender '\(interchange.identifier)' is partner \(interchange.profile.partner), but the group sender "
                        + "'\(group.identifier)' is partner \(group.profile.partner)",
                    at: location()))
        }
        if let (identifier, profile) = interchange ?? group {
            if let named = record.transportPartner, named != profile.partner {
                return .failure(
                    .error(
                        .partnerMismatch,
                        "sender '\(identifier)' (\(format)) is partner \(profile.partner), but the "
                            + (record.topicPartner != nil ? "topic belongs to partner \(named)" : "crossdock-partner header says '\(named)'"),
                        at: location()))
            }
            return allowed(profile, document: document, kind: kind, at: location())
        }
        if let named = record.transportPartner, let profile = snapshot.partner(id: named) {
            return allowed(profile, document: document, kind: kind, at: location())
        }
        let all = identifiers + groupIdentifiers
        let shown = all.isEmpty ? "no sender identifier" : "sender '\(all.joined(separator: "' / '"))'"
        return .failure(
            .error(
                .partnerUnknown,
                "\(shown) (\(format)) matches no partner profile"
                    + (record.transportPartner.map { " and the crossdock-partner header '\($0)' names no partner" } ?? ""),
                at: location()))
    }

    /// The profile, when its kind sends this kind of document and its `formats` (if any) list it.
    static func allowed(
        _ profile: PartnerProfile, document: String, kind: DocumentKind, at location: @autoclosure () -> String
    ) -> Result<PartnerProfile, Diagnostic> {
        guard kind.senders.contains(profile.kind) else {
            return .failure(
                .error(
                    .partnerFormat, "partner \(profile.partner) is a \(profile.kind.rawValue), which sends no \(document)", at: location()))
        }
        guard profile.formats.isEmpty || profile.formats.contains(where: (formatNames[document] ?? [document]).contains) else {
            return .failure(
                .error(
                    .partnerFormat,
                    "partner \(profile.partner) is not set up for \(document) (its formats: \(profile.formats.joined(separator: ", ")))",
                    at: location()))
        }
        return .success(profile)
    }
}
