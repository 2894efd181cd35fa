public import Model

/// GS1 identification keys: GTIN, SSCC and GLN, with their check digits verified.
public enum GS1Keys {
    /// Normalises a GTIN-8, -12, -13 or -14 to 14 digits (left-padded with zeros) after checking
    /// its check digit. `what` names the key in diagnostics (e.g. `LIN03`).
    public static func gtin14(_ text: String, what: String = "GTIN", at location: @autoclosure () -> String? = nil) -> Result<String, Diagnostic> {
        let checked = checkedGTIN14(text, what: what, at: location())
        if let problem = checked.problem { return .failure(problem) }
        return .success(checked.value!)
    }

    /// A key as read and what is wrong with it: `value` is the normalised key whenever it has the
    /// key's shape (even with a wrong check digit, so a partner whose profile lowers
    /// `CHECK_DIGIT` to a warning keeps the value it sent); `problem` is the finding, if any.
    public struct Checked: Sendable {
        public let value: String?
        public let problem: Diagnostic?
    }

    /// ``gtin14(_:what:at:)`` keeping the value when only its check digit is wrong.
    public static func checkedGTIN14(_ text: String, what: String = "GTIN", at location: @autoclosure () -> String? = nil) -> Checked {
        let digits = text.trimmingSpaces
        let count = digits.utf8.count
        guard count == 8 || count == 12 || count == 13 || count == 14, digits.utf8.allSatisfy(isDigit) else {
            return Checked(
                value: nil, problem: .error(.checkDigit, "\(what) '\(text)' is not a GTIN (8, 12, 13 or 14 digits)", at: location()))
        }
        let problem = checkDigitProblem(digits, what: what, kind: "GTIN", at: location())
        guard count < 14 else { return Checked(value: digits, problem: problem) }
        // 14 ASCII digits fit a small string: no allocation.
        let padded = String(unsafeUninitializedCapacity: 14) { buffer in
            let padding = 14 - count
            buffer.initialize(repeating: UInt8(ascii: "0"))
            _ = buffer[padding...].initialize(from: digits.utf8)
            return 14
        }
        return Checked(value: padded, problem: problem)
    }

    /// An SSCC: 18 digits, or 20 with the application identifier `00` in front (as some X12
    /// MAN*GM segments carry it).
    public static func sscc(_ text: String, what: String = "SSCC", at location: @autoclosure () -> String? = nil) -> Result<String, Diagnostic> {
        let checked = checkedSSCC(text, what: what, at: location())
        if let problem = checked.problem { return .failure(problem) }
        return .success(checked.value!)
    }

    /// ``sscc(_:what:at:)`` keeping the value when only its check digit is wrong.
    public static func checkedSSCC(_ text: String, what: String = "SSCC", at location: @autoclosure () -> String? = nil) -> Checked {
        var digits = text.trimmingSpaces
        if digits.utf8.count == 20, digits.hasPrefix("00") { digits = String(digits.dropFirst(2)) }
        guard digits.utf8.count == 18, digits.utf8.allSatisfy(isDigit) else {
            return Checked(value: nil, problem: .error(.checkDigit, "\(what) '\(text)' is not an SSCC (18 digits)", at: location()))
        }
        return Checked(value: digits, problem: checkDigitProblem(digits, what: what, kind: "SSCC", at: location()))
    }

    /// A GLN: 13 digits.
    public static func gln(_ text: String, what: String = "GLN", at location: @autoclosure () -> String? = nil) -> Result<String, Diagnostic> {
        let checked = checkedGLN(text, what: what, at: location())
        if let problem = checked.problem { return .failure(problem) }
        return .success(checked.value!)
    }

    /// ``gln(_:what:at:)`` keeping the value when only its check digit is wrong.
    public static func checkedGLN(_ text: String, what: String = "GLN", at location: @autoclosure () -> String? = nil) -> Checked {
        let digits = text.trimmingSpaces
        guard digits.utf8.count == 13, digits.utf8.allSatisfy(isDigit) else {
            return Checked(value: nil, problem: .error(.checkDigit, "\(what) '\(text)' is not a GLN (13 digits)", at: location()))
        }
        return Checked(value: digits, problem: checkDigitProblem(digits, what: what, kind: "GLN", at: location()))
    }

    /// A `CHECK_DIGIT` diagnostic naming the key and the digit it should end with, or nil when the
    /// check digit is right.
    static func checkDigitProblem(_ digits: String, what: String, kind: String, at location: @autoclosure () -> String?) -> Diagnostic? {
        guard let last = digits.utf8.last, let expected = GS1CheckDigit.compute(for: digits.utf8.dropLast()) else { return nil }
        let actual = last &- UInt8(ascii: "0")
        guard actual != expected else { return nil }
        return .error(
            .checkDigit, "\(what) \(digits): the \(kind) check digit is \(actual), expected \(expected)", at: location())
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

extension String {
    var trimmingSpaces: String {
        // The usual key has no spaces around it: an ASCII character other than a space or a control
        // at both ends is a character of its own that is not whitespace, so nothing is trimmed.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
