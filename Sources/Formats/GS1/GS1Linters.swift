public import Model

/// Content checks of AI values: component character sets and lengths, and the dictionary's
/// linters (check digits, dates, times, flags, percent-encoding).
enum GS1Linters {
    static let cset82: Set<UInt8> = Set(Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8))
    static let cset39: Set<UInt8> = Set(Array("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))
    static let cset64: Set<UInt8> = Set(Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=".utf8))

    static func check(_ element: GS1Element, entry: GS1SyntaxDictionary.Entry, at location: String?) -> Diagnostic? {
        let value = Array(element.value.utf8)
        func fail(_ message: String) -> Diagnostic { .error(.gs1AIInvalid, "(\(element.ai)) \(message)", at: location) }
        guard !value.isEmpty else { return fail("has no value") }
        guard value.count <= entry.maximumLength else {
            return fail("is \(value.count) characters long, at most \(entry.maximumLength) are allowed")
        }
        var position = 0
        for component in entry.components {
            if position >= value.count {
                if component.optional { break }
                return fail("is too short: \(value.count) characters")
            }
            let length = component.minimum == component.maximum ? component.minimum : min(component.maximum, value.count - position)
            guard position + length <= value.count else { return fail("is too short: \(value.count) characters") }
            let part = Array(value[position..<(position + length)])
            position += length
            let allowed: (UInt8) -> Bool
            switch component.charset {
            case .numeric: allowed = { $0 >= 48 && $0 <= 57 }
            case .cset82: allowed = { cset82.contains($0) }
            case .cset39: allowed = { cset39.contains($0) }
            case .cset64: allowed = { cset64.contains($0) }
            }
            if let bad = part.first(where: { !allowed($0) }) {
                let shown = bad < 0x80 && bad >= 0x20 ? "'\(Character(Unicode.Scalar(bad)))'" : "byte 0x\(String(bad, radix: 16))"
                return fail("contains \(shown), which its character set does not allow")
            }
            for linter in component.linters {
                if let message = lint(linter, part) { return fail(message) }
            }
        }
        if position < value.count { return fail("is \(value.count) characters long, at most \(position) are allowed") }
        return nil
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// The problem a linter finds, or nil. Linters not implemented here accept the value.
    static func lint(_ name: String, _ part: [UInt8]) -> String? {
        let all = part[...]
        switch name {
        case "csum":
            guard let expected = GS1CheckDigitCompute.compute(part.dropLast()), part.last == 48 + expected else {
                let digit = GS1CheckDigitCompute.compute(part.dropLast()).map(String.init) ?? "?"
                return "has a wrong check digit (expected \(digit))"
            }
        case "yymmd0", "yymmdd":
            guard part.count == 6, let yy = digits(all.prefix(2)), let mm = digits(all.dropFirst(2).prefix(2)),
                let dd = digits(all.suffix(2))
            else { return "is not a date (YYMMDD)" }
            let year = GS1Dates.century(yy)
            if !(1...12).contains(mm) || (dd == 0 && name == "yymmdd") || dd > CalendarDate.daysIn(month: mm, year: year) {
                return "is not a valid date"
            }
        case "yyyymmdd":
            guard part.count == 8, let y = digits(all.prefix(4)), let m = digits(all.dropFirst(4).prefix(2)),
                let d = digits(all.suffix(2)), CalendarDate(year: y, month: m, day: d) != nil
            else { return "is not a valid date" }
        case "hhmi":
            guard part.count == 4, let h = digits(all.prefix(2)), let m = digits(all.suffix(2)), h < 24, m < 60 else {
                return "is not a valid time (HHMM)"
            }
        case "hh":
            guard let h = digits(all), h < 24 else { return "is not a valid hour" }
        case "mi", "ss":
            guard let v = digits(all), v < 60 else { return "is not a valid minute or second" }
        case "yesno":
            guard part == [48] || part == [49] else { return "must be 0 or 1" }
        case "zero":
            guard part.allSatisfy({ $0 == 48 }) else { return "must be zero" }
        case "nonzero":
            guard part.contains(where: { $0 != 48 }) else { return "must not be zero" }
        case "nozeroprefix":
            guard part.count == 1 || part.first != 48 else { return "must not start with a zero" }
        case "pcenc":
            var index = 0
            while index < part.count {
                if part[index] == UInt8(ascii: "%") {
                    guard index + 2 < part.count, isHex(part[index + 1]), isHex(part[index + 2]) else {
                        return "has an invalid percent-encoding"
                    }
                    index += 3
                } else {
                    index += 1
                }
            }
        default:
            break
        }
        return nil
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}

/// GS1's mod-10 check digit (the same as for GTIN, SSCC, GLN).
enum GS1CheckDigitCompute {
    static func compute<S: BidirectionalCollection<UInt8>>(_ digits: S) -> UInt8? {
        var sum = 0
        var weight = 3
        for byte in digits.reversed() {
            guard byte >= 48, byte <= 57 else { return nil }
            sum += Int(byte - 48) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }
}

/// GS1 six-digit dates.
public enum GS1Dates {
    /// The century of a two-digit year, by the GS1 sliding window (−49 to +50 years from this year).
    static func century(_ yy: Int, currentYear: Int = 2026) -> Int {
        let current = currentYear % 100
        let base = currentYear - current
        let difference = yy - current
        if difference >= 51 { return base - 100 + yy }
        if difference <= -50 { return base + 100 + yy }
        return base + yy
    }

    /// A YYMMDD value as a date; DD 00 means the last day of the month.
    public static func date(_ text: String) -> CalendarDate? {
        let b = Array(text.utf8)
        guard b.count == 6, let yy = GS1Linters.digits(b.prefix(2)), let mm = GS1Linters.digits(b[2..<4]),
            let dd = GS1Linters.digits(b.suffix(2)), (1...12).contains(mm)
        else { return nil }
        let year = century(yy)
        return CalendarDate(year: year, month: mm, day: dd == 0 ? CalendarDate.daysIn(month: mm, year: year) : dd)
    }
}
