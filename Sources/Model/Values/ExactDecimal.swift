/// An exact decimal number: `significand × 10^-scale`, never binary floating point.
///
/// Quantities, weights and conversion factors are decimals in the partner's text and stay exact
/// through parsing, conversion and encoding: `12.5` is written as `12.5`, never `12.4999999`.
/// Values are kept normalised (no trailing fractional zeros), so equal values are equal structs
/// and encode to the same text. Up to 18 significant digits and 18 fractional digits.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let significand: Int64
    /// Digits after the decimal point, 0...18.
    public let scale: Int8

    public static let maximumScale: Int8 = 18
    public static let zero = ExactDecimal(normalizing: 0, scale: 0)!
    public static let one = ExactDecimal(normalizing: 1, scale: 0)!

    /// Normalises trailing zeros; nil when the scale is out of range.
    public init?(normalizing significand: Int64, scale: Int) {
        var significand = significand
        var scale = scale
        while scale > 0, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        // A negative scale means trailing integer zeros: fold them into the significand.
        while scale < 0 {
            let (product, overflow) = significand.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            significand = product
            scale += 1
        }
        guard scale <= Int(Self.maximumScale) else { return nil }
        self.significand = significand
        self.scale = Int8(scale)
    }

    public init(_ integer: Int) {
        self.init(normalizing: Int64(integer), scale: 0)!
    }

    /// Parses a JSON-style number (`-12.50`, `1e3`, `2.5E-2`) or plain decimal text (`+3`, `.5` are
    /// rejected). Nil when the text is not a number or needs more than 18 digits of precision.
    public init?(_ text: some StringProtocol) {
        // Read in place (a native string or substring); other strings through a copy.
        let parsed = text.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Array(text.utf8).withUnsafeBufferPointer(Self.parse)
        guard let parsed else { return nil }
        self = parsed
    }

    /// The same for a `String`, the common case, without the generic path.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8(Self.parse) else { return nil }
        self = parsed
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> ExactDecimal? {
        var utf8 = text[...]
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        var significand: Int64 = 0
        var scale = 0
        var sawDigit = false
        var sawPoint = false
        var exponent = 0
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
                let digit = Int64(byte - UInt8(ascii: "0"))
                let (times10, o1) = significand.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                if o1 || o2 {
                    // Beyond 18 digits: only trailing fractional zeros can be dropped exactly.
                    guard sawPoint, digit == 0 else { return nil }
                } else {
                    significand = sum
                    if sawPoint { scale += 1 }
                }
            } else if byte == UInt8(ascii: "."), !sawPoint, sawDigit {
                sawPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"), sawDigit {
                guard let value = Int(String(decoding: utf8[(index + 1)...], as: UTF8.self)),
                    abs(value) <= 40
                else { return nil }
                exponent = value
                break
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit, utf8.last != UInt8(ascii: ".") else { return nil }
        return ExactDecimal(normalizing: negative ? -significand : significand, scale: scale - exponent)
    }

    public var isZero: Bool { significand == 0 }
    public var isNegative: Bool { significand < 0 }
    public var isWhole: Bool { scale == 0 }

    /// The value as an integer, when it is whole and fits.
    public var integerValue: Int? { isWhole ? Int(exactly: significand) : nil }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(22)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the decimal text (as ``description`` has it: `-12.5`, `0.025`, `3`) without making
    /// a string.
    public func append<Sink: ByteSink & ~Copyable>(to out: inout Sink) {
        if significand < 0 { out.append(UInt8(ascii: "-")) }
        // At most 20 digits (Int64.min's magnitude), produced from the last.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = significand.magnitude
        withUnsafeMutableBytes(of: &digits) { bytes in
            repeat {
                bytes[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            let scale = Int(self.scale)
            if scale >= count {
                // 0.0…0digits
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "."))
                for _ in 0..<(scale - count) { out.append(UInt8(ascii: "0")) }
            }
            for position in (24 - count)..<24 {
                if scale > 0, scale < count, position == 24 - scale { out.append(UInt8(ascii: ".")) }
                out.append(bytes[position])
            }
        }
    }

    private static func power10(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Builds a decimal from a wide significand, nil when it does not fit.
    private static func make(_ significand: Int128, scale: Int) -> ExactDecimal? {
        var significand = significand
        var scale = scale
        while scale > 0, significand % 10 == 0 {
            significand /= 10
            scale -= 1
        }
        guard let narrow = Int64(exactly: significand) else { return nil }
        return ExactDecimal(normalizing: narrow, scale: scale)
    }

    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int) {
        let scale = Int(max(a.scale, b.scale))
        return (
            Int128(a.significand) * power10(scale - Int(a.scale)),
            Int128(b.significand) * power10(scale - Int(b.scale)), scale
        )
    }

    /// The exact sum, nil on overflow.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let (a, b, scale) = Self.aligned(self, other)
        return Self.make(a + b, scale: scale)
    }

    /// The exact difference, nil on overflow.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let (a, b, scale) = Self.aligned(self, other)
        return Self.make(a - b, scale: scale)
    }

    /// The exact product, nil when it does not fit 18 digits of precision.
    public func multiplied(by other: ExactDecimal) -> ExactDecimal? {
        Self.make(Int128(significand) * Int128(other.significand), scale: Int(scale) + Int(other.scale))
    }

    /// The quotient: exact when it terminates within `scale` fractional digits, else rounded half
    /// to even at `scale` digits (`exact` tells which). Nil when dividing by zero or on overflow.
    public func divided(by divisor: ExactDecimal, scale: Int = 12) -> (value: ExactDecimal, exact: Bool)? {
        guard !divisor.isZero, scale <= Int(Self.maximumScale) else { return nil }
        // self / divisor = (s1 / s2) * 10^(d2 - d1); compute at `scale` digits.
        let shift = scale + Int(divisor.scale) - Int(self.scale)
        var numerator = Int128(significand)
        var denominator = Int128(divisor.significand)
        if shift >= 0 {
            guard shift <= 36 else { return nil }
            let (product, overflow) = numerator.multipliedReportingOverflow(by: Self.power10(shift))
            if overflow { return nil }
            numerator = product
        } else {
            denominator *= Self.power10(-shift)
        }
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder != 0 {
            let twice = remainder.magnitude * 2
            let positive = (numerator < 0) == (denominator < 0)
            if twice > denominator.magnitude || (twice == denominator.magnitude && quotient % 2 != 0) {
                quotient += positive ? 1 : -1
            }
        }
        guard let value = Self.make(quotient, scale: scale) else { return nil }
        return (value, remainder == 0)
    }

    public var negated: ExactDecimal { ExactDecimal(normalizing: -significand, scale: Int(scale))! }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (a, b, _) = aligned(lhs, rhs)
        return a < b
    }
}

extension ExactDecimal: JSONEncodable, JSONDecodable {
    public func write(to writer: inout JSONWriter) { writer.number(self) }

    public init(json: JSONValue, at pointer: JSONPointer) throws(JSONShapeError) {
        guard case .number(let text) = json else {
            throw JSONShapeError("expected a number, found \(json.typeName)", at: pointer)
        }
        guard let value = ExactDecimal(text) else { throw JSONShapeError("number \(text) is out of range", at: pointer) }
        self = value
    }
}
