public import Model

/// The findings kept of one transaction set, message, interchange or input: the first `limit`;
/// past them, the first of each code and severity (a partner's severity overrides still decide as
/// on the whole list), the others only counted. A record of a million one-byte segments, each in
/// error, would otherwise hold a million findings while it is read; an interchange's envelope
/// findings would be copied whole into each of its units.
public struct FindingCap: Sendable {
    /// What a reader keeps of one set, message, interchange or input.
    public static let listed = 1_000

    private struct Kind: Hashable {
        var code: DiagnosticCode
        var severity: Severity
    }

    private let limit: Int
    /// Set once the list is past `limit`.
    private var kinds: Set<Kind>? = nil
    private(set) var omitted = 0

    public init(limit: Int = FindingCap.listed) { self.limit = limit }

    /// Whether `list` takes one more finding of this code and severity: unless it is past
    /// `limit` and holds one already; then it is counted.
    mutating func admits(_ list: [Diagnostic], _ severity: Severity, _ code: DiagnosticCode) -> Bool {
        guard list.count >= limit else { return true }
        if kinds == nil { kinds = Set(list.map { Kind(code: $0.code, severity: $0.severity) }) }
        if kinds!.insert(Kind(code: code, severity: severity)).inserted { return true }
        omitted += 1
        return false
    }

    /// The note for those counted (`N more findings of <owner> are not listed`, `findings` as
    /// `noun` says), if any, and the cap started over.
    mutating func finish(_ owner: String, noun: String = "findings") -> Diagnostic? {
        defer { self = FindingCap(limit: limit) }
        guard omitted > 0 else { return nil }
        return Diagnostic(severity: .info, code: .findingsOmitted, message: "\(omitted) more \(noun) of \(owner) are not listed")
    }

    /// `findings` as a cap of `limit` keeps them, with the note for the others.
    public static func bounded(_ findings: [Diagnostic], limit: Int, owner: String, noun: String) -> [Diagnostic] {
        guard findings.count > limit else { return findings }
        var cap = FindingCap(limit: limit)
        var kept: [Diagnostic] = []
        for finding in findings where cap.admits(kept, finding.severity, finding.code) { kept.append(finding) }
        if let note = cap.finish(owner, noun: noun) { kept.append(note) }
        return kept
    }
}
