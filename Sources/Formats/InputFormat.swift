/// The syntax of a raw record, recognised from its first significant bytes so that one topic can
/// carry X12, EDIFACT and JSON side by side.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    case x12
    case edifact
    case json

    /// Recognises the format, skipping a UTF-8 byte-order mark and leading whitespace.
    /// Returns `nil` when the bytes look like none of them.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> InputFormat? {
        var index = bytes.startIndex
        // UTF-8 BOM
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = bytes.index(index, offsetBy: 3) }
        while index != bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
            index = bytes.index(after: index)
        }
        let rest = bytes[index...]
        if rest.first == UInt8(ascii: "{") || rest.first == UInt8(ascii: "[") { return .json }
        let head = Array(rest.prefix(3)).map { $0 & 0xDF }  // ASCII upper-case
        if head == Array("ISA".utf8) { return .x12 }
        if head == Array("UNA".utf8) || head == Array("UNB".utf8) { return .edifact }
        return nil
    }
}
