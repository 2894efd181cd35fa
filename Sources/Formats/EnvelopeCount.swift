import Model

/// A count in an envelope trailer (X12 SE01, GE01, IEA01; EDIFACT UNT 0074, UNE 0060, UNZ 0036):
/// an unsigned integer of 1 to `digits` digits (the element's maximum length), nothing else. `1.0`,
/// `+5`, `ABC` or 23 digits are not counts, and are reported as such rather than passed over.
enum EnvelopeCount {
    /// The count, or nil when `text` is not one.
    static func parse(_ text: String, digits: Int) -> Int? {
        let trimmed = text.trimmingSpaces()
        guard (1...digits).contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(trimmed)
    }

    /// The finding for a trailer count that is not a number.
    static func notANumber(_ element: String, _ text: String, digits: Int, code: DiagnosticCode, at location: String) -> Diagnostic {
        .error(code, "\(element) '\(text.boundedUTF8(40))' is not a count (1 to \(digits) digits)", at: location)
    }
}
