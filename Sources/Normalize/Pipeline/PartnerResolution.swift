import MasterData
public import Model

extension DiagnosticCode {
    /// An item the ship notice names (GTIN or supplier item) is not in master data.
    public static let itemUnknown: Self = "ITEM_UNKNOWN"
}

/// Finds the sending partner: from the document's own sender identifiers (EDI envelope, JSON
/// sender field) matched against the profiles, else from the transport's `crossdock-partner`
/// header. Never guessed: no match is `PARTNER_UNKNOWN`. A partner cannot speak for another: when
/// the transport names the sender (the topic's owner in `topics.partners`, or the header) and the
/// document's own identifiers name a different partner, the document is `PARTNER_MISMATCH`.
enum PartnerResolution {
    static func resolve(
        identifiers: [String], format: String, record: InputRecord, snapshot: MasterDataSnapshot, location: @autoclosure () -> String
    ) -> Result<PartnerProfile, Diagnostic> {
        if let conflict = record.transportConflict {
            return .failure(
                .error(
                    .partnerMismatch,
                    "the topic belongs to partner \(conflict.topic), but the crossdock-partner header says '\(conflict.header)'",
                    at: location()))
        }
        for identifier in identifiers {
            guard let profile = snapshot.partner(identifier: identifier, format: format) else { continue }
            if let named = record.transportPartner, named != profile.partner {
                return .failure(
                    .error(
                        .partnerMismatch,
                        "sender '\(identifier)' (\(format)) is partner \(profile.partner), but the "
                            + (record.topicPartner != nil ? "topic belongs to partner \(named)" : "crossdock-partner header says '\(named)'"),
                        at: location()))
            }
            return .success(profile)
        }
        if let named = record.transportPartner, let profile = snapshot.partner(id: named) {
            return .success(profile)
        }
        let shown = identifiers.isEmpty ? "no sender identifier" : "sender '\(identifiers.joined(separator: "' / '"))'"
        return .failure(
            .error(
                .partnerUnknown,
                "\(shown) (\(format)) matches no partner profile"
                    + (record.transportPartner.map { " and the crossdock-partner header '\($0)' names no partner" } ?? ""),
                at: location()))
    }
}
