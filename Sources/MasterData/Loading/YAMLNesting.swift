/// How deeply a YAML text nests, found before it is parsed: the YAML library builds its tree by
/// recursion, so a document nested thousands of levels deep would exhaust the stack. Master data
/// and configuration files nest a few levels; the limit is far above that.
public enum YAMLNesting {
    public static let limit = 64

    /// The first line (1-based) where the nesting goes past `limit`, if any. Counts block levels
    /// (indentation, and `- ` entries that open a sequence on the same line) and flow levels
    /// (`[`, `{` outside quoted scalars and comments); block scalar text (`|`, `>`) is skipped.
    public static func firstTooDeep(_ text: String, limit: Int = limit) -> Int? {
        var indents: [Int] = []
        var flow = 0
        var blockScalarIndent: Int? = nil
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line)
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let isBlank = index == bytes.count || bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "\r")
            if let scalarIndent = blockScalarIndent {
                if isBlank || index > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if isBlank { continue }
            if flow == 0 {
                while let last = indents.last, last >= index { indents.removeLast() }
                indents.append(index)
            }
            var depth = indents.count
            // `- - - x`: each dash opens a sequence inside the one before.
            var cursor = index
            while cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "-"), bytes[cursor + 1] == UInt8(ascii: " ") {
                depth += 1
                cursor += 2
                while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
            }
            var quote: UInt8? = nil
            var previous: UInt8 = UInt8(ascii: " ")
            var position = cursor
            while position < bytes.count {
                let byte = bytes[position]
                if let open = quote {
                    if byte == UInt8(ascii: "\\"), open == UInt8(ascii: "\"") {
                        position += 1
                    } else if byte == open {
                        quote = nil
                    }
                } else {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
                    case UInt8(ascii: "#") where previous == UInt8(ascii: " "): position = bytes.count
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flow += 1
                        if depth + flow > limit { return lineNumber }
                    case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
                    default: break
                    }
                }
                previous = byte
                position += 1
            }
            if depth + flow > limit { return lineNumber }
            // A block scalar's text follows on more indented lines; it is not YAML structure.
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            if flow == 0, quote == nil, let scalar = bytes[..<end].lastIndex(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: ">") }),
                bytes[(scalar + 1)..<end].allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || (0x30...0x39).contains($0) }),
                scalar == 0 || bytes[scalar - 1] == UInt8(ascii: " ")
            {
                blockScalarIndent = index
            }
        }
        return nil
    }
}
