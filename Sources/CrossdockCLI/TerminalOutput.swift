import Foundation
import Model

/// Human-readable output: partner bytes, file names and master-data text reach a terminal only
/// with their control characters escaped (`\u001b`, `\u0007`, ...), so a file cannot move the
/// cursor, retitle the window or hide text from the person reading it. C1 controls and the
/// bidirectional overrides (text shown in another order than it is stored) are escaped too.
enum TerminalText {
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false  // a tab separates columns
        case 0..<0x20, 0x7F, 0x80...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// Prints one line of human-readable output on standard output, escaped (``TerminalText``).
func say(_ line: String) {
    print(TerminalText.escape(line))
}

/// Prints one line on standard error, escaped (``TerminalText``).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((TerminalText.escape(line) + "\n").utf8))
}
