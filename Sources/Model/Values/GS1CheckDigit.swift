/// The GS1 mod-10 check digit shared by GTIN, SSCC and GLN.
public enum GS1CheckDigit {
    /// The check digit for the digits before it (weights 3 and 1 from the right), or `nil` when a
    /// character is not a digit.
    @inlinable
    public static func compute<Digits: BidirectionalCollection<UInt8>>(for digits: Digits) -> UInt8? {
        var sum = 0
        var weight = 3
        for byte in digits.reversed() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            sum += Int(byte - UInt8(ascii: "0")) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// Whether the last digit of `key` is its correct check digit.
    @inlinable
    public static func isValid(_ key: String) -> Bool {
        guard key.utf8.count >= 2, let last = key.utf8.last, let expected = compute(for: key.utf8.dropLast()) else {
            return false
        }
        return last == UInt8(ascii: "0") + expected
    }
}
