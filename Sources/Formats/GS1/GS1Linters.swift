public import Model

/// Content checks of AI values: component character sets and lengths, and the dictionary's
/// linters. Each failure carries the linter result code the GS1 syntax tests use
/// (`GS1_LINTER_INCORRECT_CHECK_DIGIT`, ...) and a message.
enum GS1Linters {
    static let cset82Characters = Array("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
    static let cset82 = ASCIISet("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
    static let cset39 = ASCIISet("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let cset64 = ASCIISet("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=")
    static let cset32 = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)

    struct Problem: Error {
        var code: String
        var message: String

        var diagnosticCode: DiagnosticCode {
            code == "GS1_LINTER_INCORRECT_CHECK_DIGIT" || code == "GS1_LINTER_INCORRECT_CHECK_PAIR" ? .checkDigit : .gs1AIInvalid
        }
    }

    /// The first problem of an element's value, or nil.
    /// A wrong check digit or check-character pair is `CHECK_DIGIT`, as for the same key in a
    /// ship notice; every other fault of a value is `GS1_AI_INVALID`.
    static func check(_ element: GS1Element, entry: GS1SyntaxDictionary.Entry, at location: @autoclosure () -> String?) -> Diagnostic? {
        problem(element, entry: entry).map { .error($0.diagnosticCode, "(\(element.ai)) \($0.message)", at: location()) }
    }

    static func problem(_ element: GS1Element, entry: GS1SyntaxDictionary.Entry) -> Problem? {
        let value = Array(element.value.utf8)
        guard !value.isEmpty else { return Problem(code: "GS1_LINTER_TOO_SHORT", message: "has no value") }
        guard value.count <= entry.maximumLength else {
            return Problem(code: "GS1_LINTER_TOO_LONG", message: "is \(value.count) characters long, at most \(entry.maximumLength) are allowed")
        }
        var position = 0
        for component in entry.components {
            if position >= value.count {
                if component.optional { break }
                return Problem(code: "GS1_LINTER_TOO_SHORT", message: "is too short: \(value.count) characters")
            }
            let length = component.minimum == component.maximum ? component.minimum : min(component.maximum, value.count - position)
            guard position + length <= value.count else {
                return Problem(code: "GS1_LINTER_TOO_SHORT", message: "is too short: \(value.count) characters")
            }
            let part = Array(value[position..<(position + length)])
            position += length
            if let problem = charset(component.charset, part) { return problem }
            for linter in component.linters {
                if let problem = lint(linter, part) { return problem }
            }
        }
        if position < value.count {
            return Problem(code: "GS1_LINTER_TOO_LONG", message: "is \(value.count) characters long, at most \(position) are allowed")
        }
        return nil
    }

    static func charset(_ charset: GS1SyntaxDictionary.Charset, _ part: [UInt8]) -> Problem? {
        func bad(_ byte: UInt8) -> String {
            byte < 0x80 && byte >= 0x20 ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }
        switch charset {
        case .numeric:
            if let byte = part.first(where: { !isDigit($0) }) {
                return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "contains \(bad(byte)) where digits belong")
            }
        case .cset82:
            if let byte = part.first(where: { !cset82.contains($0) }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET82_CHARACTER", message: "contains \(bad(byte)), outside CSET 82")
            }
        case .cset39:
            if let byte = part.first(where: { !cset39.contains($0) }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET39_CHARACTER", message: "contains \(bad(byte)), outside CSET 39")
            }
        case .cset64:
            // Up to two trailing '=' pads, and only when the length is a multiple of three.
            let pads = part.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            if pads > 2 || (pads > 0 && part.count % 3 != 0) {
                return Problem(code: "GS1_LINTER_INVALID_CSET64_PADDING", message: "has misplaced base64 padding")
            }
            if let byte = part.dropLast(pads).first(where: { !cset64.contains($0) || $0 == UInt8(ascii: "=") }) {
                return Problem(code: "GS1_LINTER_INVALID_CSET64_CHARACTER", message: "contains \(bad(byte)), outside CSET 64")
            }
        }
        return nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    static func date(_ part: ArraySlice<UInt8>, dayZero: Bool, fourDigitYear: Bool = false) -> Problem? {
        let yearLength = fourDigitYear ? 4 : 2
        guard part.count == yearLength + 4 else {
            return Problem(code: part.count < yearLength + 4 ? "GS1_LINTER_DATE_TOO_SHORT" : "GS1_LINTER_DATE_TOO_LONG", message: "is not a date")
        }
        guard let y = digits(part.prefix(yearLength)),
            let m = digits(part.dropFirst(yearLength).prefix(2)), let d = digits(part.dropFirst(yearLength + 2).prefix(2))
        else { return Problem(code: "GS1_LINTER_NON_DIGIT_CHARACTER", message: "is not a date") }
        guard (1...12).contains(m) else { return Problem(code: "GS1_LINTER_ILLEGAL_MONTH", message: "has month \(m)") }
        // The syntax tests' century rule: 72-99 are 19xx, 00-71 are 20xx.
        let year = fourDigitYear ? y : (y >= 72 ? 1900 + y : 2000 + y)
        if d == 0 && dayZero { return nil }
        guard d >= 1, d <= CalendarDate.daysIn(month: m, year: year) else {
            return Problem(code: "GS1_LINTER_ILLEGAL_DAY", message: "has day \(d)")
        }
        return nil
    }

    /// The problem a linter finds, or nil. Linters not implemented here accept the value.
    static func lint(_ name: String, _ part: [UInt8]) -> Problem? {
        let all = part[...]
        func fail(_ code: String, _ message: String) -> Problem { Problem(code: "GS1_LINTER_" + code, message: message) }
        switch name {
        case "csum":
            guard let expected = GS1CheckDigit.compute(for: part.dropLast()), part.last == 48 + expected else {
                let digit = GS1CheckDigit.compute(for: part.dropLast()).map(String.init) ?? "?"
                return fail("INCORRECT_CHECK_DIGIT", "has a wrong check digit (expected \(digit))")
            }
        case "csumalpha":
            guard part.count >= 2 else { return fail("TOO_SHORT_FOR_CHECK_PAIR", "is too short for its check characters") }
            guard part.count <= 99 else { return fail("TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION", "is too long for check characters") }
            if part.count == 2 {
                guard part == Array("22".utf8) else { return fail("INCORRECT_CHECK_PAIR", "has wrong check characters") }
                return nil
            }
            var sum = 0
            for (offset, byte) in part.dropLast(2).reversed().enumerated() {
                guard let index = cset82Characters.firstIndex(of: byte) else {
                    return fail("INVALID_CSET82_CHARACTER", "contains a character outside CSET 82")
                }
                sum += index * primes[offset]
            }
            sum %= 1021
            guard part[part.count - 2] == cset32[sum >> 5], part[part.count - 1] == cset32[sum & 31] else {
                return fail("INCORRECT_CHECK_PAIR", "has wrong check characters")
            }
        case "gcppos1":
            return gcp(all)
        case "gcppos2":
            guard part.count >= 2 else { return fail("TOO_SHORT_FOR_GCP", "is too short for a GS1 Company Prefix") }
            return gcp(all.dropFirst())
        case "hasnondigit":
            guard part.contains(where: { !isDigit($0) }) else { return fail("REQUIRES_NON_DIGIT_CHARACTER", "needs a character that is not a digit") }
        case "mediatype":
            guard ISOCodeLists.mediaTypes.contains(String(decoding: part, as: UTF8.self)) else {
                return fail("INVALID_MEDIA_TYPE", "is not an AIDC media type")
            }
        case "packagetype":
            guard ISOCodeLists.packageTypes.contains(String(decoding: part, as: UTF8.self)) else {
                return fail("INVALID_PACKAGE_TYPE", "is not a package type code")
            }
        case "importeridx":
            guard part.count == 1 else { return fail("IMPORTER_IDX_MUST_BE_ONE_CHARACTER", "must be one character") }
            guard cset64.contains(part[0]), part[0] != UInt8(ascii: "=") else {
                return fail("INVALID_IMPORT_IDX_CHARACTER", "has an invalid importer index")
            }
        case "yymmd0": return date(all, dayZero: true)
        case "yymmdd": return date(all, dayZero: false)
        case "yyyymmdd": return date(all, dayZero: false, fourDigitYear: true)
        case "hhmi":
            guard let h = digits(all.prefix(2)), h < 24 else { return fail("ILLEGAL_HOUR", "has an invalid hour") }
            guard let m = digits(all.suffix(2)), m < 60 else { return fail("ILLEGAL_MINUTE", "has an invalid minute") }
        case "hh":
            guard let h = digits(all), h < 24 else { return fail("ILLEGAL_HOUR", "has an invalid hour") }
        case "mi":
            guard let v = digits(all), v < 60 else { return fail("ILLEGAL_MINUTE", "has an invalid minute") }
        case "ss":
            guard let v = digits(all), v < 60 else { return fail("ILLEGAL_SECOND", "has an invalid second") }
        case "yesno":
            guard part == [48] || part == [49] else { return fail("NOT_ZERO_OR_ONE", "must be 0 or 1") }
        case "zero":
            guard part.allSatisfy({ $0 == 48 }) else { return fail("NOT_ZERO", "must be zero") }
        case "nonzero":
            guard part.contains(where: { $0 != 48 }) else { return fail("ILLEGAL_ZERO_VALUE", "must not be zero") }
        case "nozeroprefix":
            guard part.count == 1 || part.first != 48 else { return fail("ILLEGAL_ZERO_PREFIX", "must not start with a zero") }
        case "winding":
            guard part == [48] || part == [49] || part == [57] else {
                return fail("INVALID_WINDING_DIRECTION", "must be 0, 1 or 9")
            }
        case "iso5218":
            guard [[48], [49], [50], [57]].contains(part) else {
                return fail("INVALID_BIOLOGICAL_SEX_CODE", "must be 0, 1, 2 or 9")
            }
        case "iso3166":
            guard ISOCodeLists.countryNumeric.contains(String(decoding: part, as: UTF8.self)) else {
                return fail("NOT_ISO3166", "is not an ISO 3166 country code")
            }
        case "iso3166999":
            let text = String(decoding: part, as: UTF8.self)
            guard text == "999" || ISOCodeLists.countryNumeric.contains(text) else {
                return fail("NOT_ISO3166_OR_999", "is neither an ISO 3166 country code nor 999")
            }
        case "iso3166alpha2":
            guard ISOCodeLists.countryAlpha2.contains(String(decoding: part, as: UTF8.self)) else {
                return fail("NOT_ISO3166_ALPHA2", "is not an ISO 3166 alpha-2 country code")
            }
        case "iso4217":
            guard ISOCodeLists.currencyNumeric.contains(String(decoding: part, as: UTF8.self)) else {
                return fail("NOT_ISO4217", "is not an ISO 4217 currency code")
            }
        case "iban":
            return iban(part)
        case "pieceoftotal":
            guard part.allSatisfy(isDigit) else { return fail("NON_DIGIT_CHARACTER", "is not a piece and total") }
            guard !part.isEmpty, part.count % 2 == 0 else { return fail("INVALID_LENGTH_FOR_PIECE_OF_TOTAL", "has an odd length") }
            let piece = part.prefix(part.count / 2)
            let total = part.suffix(part.count / 2)
            if piece.allSatisfy({ $0 == 48 }) { return fail("ZERO_PIECE_NUMBER", "has piece number zero") }
            if total.allSatisfy({ $0 == 48 }) { return fail("ZERO_TOTAL_PIECES", "has total zero") }
            if piece.lexicographicallyPrecedes(total) == false && piece != total {
                return fail("PIECE_NUMBER_EXCEEDS_TOTAL", "has a piece number above the total")
            }
        case "pcenc":
            var index = 0
            while index < part.count {
                if part[index] == UInt8(ascii: "%") {
                    guard index + 2 < part.count, isHex(part[index + 1]), isHex(part[index + 2]) else {
                        return fail("INVALID_PERCENT_SEQUENCE", "has an invalid percent-encoding")
                    }
                    index += 3
                } else {
                    index += 1
                }
            }
        case "latitude":
            guard let value = digits(all), value <= 1_800_000_000 else { return fail("INVALID_LATITUDE", "is not a latitude") }
        case "longitude":
            guard let value = digits(all), value <= 3_600_000_000 else { return fail("INVALID_LONGITUDE", "is not a longitude") }
        case "hyphen":
            guard part.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return fail("NOT_HYPHEN", "must be '-'") }
        case "posinseqslash":
            let pieces = part.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty, pieces.allSatisfy({ $0.allSatisfy(isDigit) }) else {
                return fail("POSITION_IN_SEQUENCE_MALFORMED", "must be position/end")
            }
            if pieces[0].first == 48 || pieces[1].first == 48 { return fail("ILLEGAL_ZERO_PREFIX", "must not start with zero") }
            if pieces[0].count > pieces[1].count
                || (pieces[0].count == pieces[1].count && pieces[1].lexicographicallyPrecedes(pieces[0]))
            {
                return fail("POSITION_EXCEEDS_END", "has a position after the end")
            }
        case "couponcode":
            return GS1Coupons.lintCouponCode(part)
        case "couponposoffer":
            return GS1Coupons.lintPositiveOffer(part)
        default:
            break
        }
        return nil
    }

    static func iban(_ part: [UInt8]) -> Problem? {
        func fail(_ code: String, _ message: String) -> Problem { Problem(code: "GS1_LINTER_" + code, message: message) }
        guard part.count >= 4 else { return fail("IBAN_TOO_SHORT", "is too short for an IBAN") }
        guard ISOCodeLists.countryAlpha2.contains(String(decoding: part.prefix(2), as: UTF8.self)) else {
            return fail("ILLEGAL_IBAN_COUNTRY_CODE", "does not start with a country code")
        }
        guard part.count <= 34 else { return fail("IBAN_TOO_LONG", "is too long for an IBAN") }
        guard part.count > 10 else { return fail("IBAN_TOO_SHORT", "is too short for an IBAN") }
        var remainder = 0
        for byte in part.dropFirst(4) + part.prefix(4) {
            if isDigit(byte) {
                remainder = (remainder * 10 + Int(byte - 48)) % 97
            } else if byte >= 65, byte <= 90 {
                remainder = (remainder * 100 + Int(byte - 55)) % 97
            } else {
                return fail("INVALID_IBAN_CHARACTER", "has characters an IBAN may not")
            }
        }
        guard remainder == 1 else { return fail("INCORRECT_IBAN_CHECKSUM", "has a wrong IBAN checksum") }
        return nil
    }

    static func gcp(_ part: ArraySlice<UInt8>) -> Problem? {
        guard part.count >= 4 else { return Problem(code: "GS1_LINTER_TOO_SHORT_FOR_GCP", message: "is too short for a GS1 Company Prefix") }
        guard part.prefix(4).allSatisfy(isDigit) else {
            return Problem(code: "GS1_LINTER_INVALID_GCP_PREFIX", message: "does not start with a GS1 Company Prefix")
        }
        return nil
    }

    /// The first 97 primes, the weights of the alphanumeric check pair.
    static let primes: [Int] = {
        var found: [Int] = []
        var candidate = 2
        while found.count < 97 {
            if found.allSatisfy({ candidate % $0 != 0 }) { found.append(candidate) }
            candidate += 1
        }
        return found
    }()

    static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}

/// GS1 six-digit dates.
public enum GS1Dates {
    /// A YYMMDD value as a date; DD 00 means the last day of the month. The century is GS1's
    /// sliding window (General Specifications 7.12: from 49 years before `referenceYear` to 50
    /// after), with the year the record is processed as the reference.
    public static func date(_ text: String, referenceYear: Int) -> CalendarDate? {
        let b = Array(text.utf8)
        guard b.count == 6, let yy = GS1Linters.digits(b.prefix(2)), let mm = GS1Linters.digits(b[2..<4]),
            let dd = GS1Linters.digits(b.suffix(2)), (1...12).contains(mm)
        else { return nil }
        let year = SentTime.slidingWindow(twoDigitYear: yy, referenceYear: referenceYear)
        return CalendarDate(year: year, month: mm, day: dd == 0 ? CalendarDate.daysIn(month: mm, year: year) : dd)
    }
}

/// A set of ASCII bytes as two 64-bit masks: membership is a shift, not a hash.
struct ASCIISet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ members: StaticString) {
        for index in 0..<members.utf8CodeUnitCount {
            let byte = members.utf8Start[index]
            precondition(byte < 0x80, "ASCII only")
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
    }
}
