/// The syntax of a raw record, recognised from its first significant bytes so that one topic can
/// carry X12, EDIFACT and JSON side by side.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    case x12
    case edifact
    case json

    /// Recognises the format, skipping a UTF-8 byte-order mark and leading whitespace.
    /// Returns `nil` when the bytes look like none of them.
    public static func sniff(_ bytes: [UInt8]) -> InputFormat? {
        var index = 0
        // UTF-8 BOM
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") { return .json }
        guard bytes.count - index >= 3 else { return nil }
        // ASCII upper-case
        switch (bytes[index] & 0xDF, bytes[index + 1] & 0xDF, bytes[index + 2] & 0xDF) {
        case (UInt8(ascii: "I"), UInt8(ascii: "S"), UInt8(ascii: "A")): return .x12
        case (UInt8(ascii: "U"), UInt8(ascii: "N"), UInt8(ascii: "A")), (UInt8(ascii: "U"), UInt8(ascii: "N"), UInt8(ascii: "B")): return .edifact
        default: return nil
        }
    }
}
