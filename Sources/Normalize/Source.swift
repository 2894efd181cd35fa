/// The kind of partner input an adapter normalises, as named on the command line
/// (`crossdock normalize --source asn|scan|carrier`).
public enum Source: String, Sendable, Hashable, CaseIterable {
    /// Advance ship notices from suppliers: X12 856, EDIFACT DESADV, JSON ASN.
    case asn
    /// Scans from warehouse scanner gateways: JSON with GS1 barcodes.
    case scan
    /// Shipment status from carriers: X12 214, EDIFACT IFTSTA, tracking JSON.
    case carrier
}
