/// How deeply a YAML text nests, found before it is parsed: the YAML library builds its tree by
/// recursion, so a document nested thousands of levels deep would exhaust the stack. Master data
/// and configuration files nest a few levels; the limit is far above that.
///
/// A small scanner of YAML's structure, enough to count levels without parsing: block levels
/// (indentation, and `- ` entries that open a sequence on the same line) and flow levels (`[`,
/// `{`). What looks like structure inside scalars is not counted: quoted scalars (a quote opens one
/// only where a value begins), comments, the text of block scalars (`|`, `>`), and brackets inside
/// a plain scalar in block context (`description: Bolt [M8`). Line breaks are LF, CR LF or CR.
public enum YAMLNesting {
    public static let limit = 64

    /// The first line (1-based) where the nesting goes past `limit`, if any.
    public static func firstTooDeep(_ text: String, limit: Int = limit) -> Int? {
        var scanner = Scanner(limit: limit)
        var line: [UInt8] = []
        var lineNumber = 1
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A || byte == 0x0D {
                // CR LF is one break.
                if byte == 0x0A, previous == 0x0D {
                    previous = byte
                    continue
                }
                if scanner.line(line) { return lineNumber }
                line.removeAll(keepingCapacity: true)
                lineNumber += 1
            } else {
                line.append(byte)
            }
            previous = byte
        }
        return scanner.line(line) ? lineNumber : nil
    }

    private struct Scanner {
        let limit: Int
        /// Indentations of the open block levels.
        var indents: [Int] = []
        var flow = 0
        /// The quote of a quoted scalar that goes on to the next line.
        var quote: UInt8? = nil
        /// The indentation of the line that began a block scalar, while its text lasts.
        var blockScalar: Int? = nil

        init(limit: Int) { self.limit = limit }

        static let space = UInt8(ascii: " ")

        /// Scans one line; true when the nesting went past the limit on it.
        mutating func line(_ bytes: [UInt8]) -> Bool {
            var index = 0
            while index < bytes.count, bytes[index] == Self.space || bytes[index] == 0x09 { index += 1 }
            let blank = index == bytes.count || (quote == nil && bytes[index] == UInt8(ascii: "#"))
            if let indentation = blockScalar {
                if blank || index > indentation { return false }
                blockScalar = nil
            }
            if blank && quote == nil { return false }
            if quote == nil, flow == 0 {
                while let last = indents.last, last >= index { indents.removeLast() }
                indents.append(index)
            }
            var depth = 0
            var valueStart = quote == nil
            var position = index
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if let open = quote {
                    if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                        position += 1
                    } else if byte == open {
                        // '' inside a single-quoted scalar is a quote, not its end.
                        if open == UInt8(ascii: "'"), position < bytes.count, bytes[position] == open {
                            position += 1
                        } else {
                            quote = nil
                            valueStart = false
                        }
                    }
                    continue
                }
                let next: UInt8 = position < bytes.count ? bytes[position] : Self.space
                let spaceAfter = next == Self.space || next == 0x09
                // (Each condition is spelled out: in `case a, b where c`, `c` guards `b` alone.)
                let isQuote = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                let opens = byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
                let closes = byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
                let comment = byte == UInt8(ascii: "#") && (position == 1 || bytes[position - 2] == Self.space || bytes[position - 2] == 0x09)
                let entry = (byte == UInt8(ascii: "-") && flow == 0 || byte == UInt8(ascii: "?")) && valueStart && spaceAfter
                let flowEnd = next == UInt8(ascii: ",") || next == UInt8(ascii: "]") || next == UInt8(ascii: "}")
                let mappingValue = byte == UInt8(ascii: ":") && (spaceAfter || (flow > 0 && flowEnd))
                let blockScalarHeader = (byte == UInt8(ascii: "|") || byte == UInt8(ascii: ">")) && valueStart && flow == 0
                let property = (byte == UInt8(ascii: "&") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "*")) && valueStart
                switch true {
                case byte == Self.space || byte == 0x09:
                    continue
                case comment:
                    position = bytes.count
                case isQuote && valueStart:
                    quote = byte
                case entry:
                    // A block sequence entry (or complex key) opens a level on this line.
                    depth += 1
                case mappingValue:
                    valueStart = true
                case opens && (valueStart || flow > 0):
                    flow += 1
                    valueStart = true
                    if indents.count + depth + flow > limit { return true }
                case closes && flow > 0:
                    flow -= 1
                    valueStart = false
                case byte == UInt8(ascii: ",") && flow > 0:
                    valueStart = true
                case blockScalarHeader:
                    // A block scalar: its text is on the following, more indented lines.
                    blockScalar = index
                    position = bytes.count
                case property:
                    // An anchor, tag or alias: the value (if any) begins after it.
                    while position < bytes.count, bytes[position] != Self.space, bytes[position] != 0x09 { position += 1 }
                default:
                    // A plain scalar: in block context it runs to the end of the line (but for a
                    // `: ` or ` #`); in flow context to the next indicator.
                    valueStart = false
                }
            }
            return indents.count + depth + flow > limit
        }
    }
}
