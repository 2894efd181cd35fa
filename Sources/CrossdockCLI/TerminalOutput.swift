import Foundation
import Model

/// Human-readable output: partner bytes, file names and master-data text reach a terminal only
/// with their control characters escaped (`\u001b`, `\u0007`, ...), so a file cannot move the
/// cursor, retitle the window or hide text from the person reading it. C1 controls and the
/// bidirectional overrides (text shown in another order than it is stored) are escaped too.
public enum TerminalText {
    /// `text` with control and direction characters escaped; with `tabs`, tabs too (for a field
    /// of tab-separated output).
    public static func escape(_ text: String, tabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) || (tabs && $0 == "\t") }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) || (tabs && scalar == "\t") {
                result += HeaderText.unicodeEscape(scalar)
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
        // Marks and overrides of text direction, zero-width characters, line and paragraph
        // separators: they change what is shown, or where a line ends, without being seen.
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: true
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
