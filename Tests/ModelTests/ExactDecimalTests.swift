import Model
import Testing

@Suite("Exact decimals")
struct ExactDecimalTests {
    @Test(
        "parses JSON numbers exactly and writes them canonically",
        arguments: [
            ("12.5", "12.5"), ("12.50", "12.5"), ("-0.001", "-0.001"), ("1e3", "1000"), ("2.5E-2", "0.025"),
            ("0", "0"), ("-0", "0"), ("100", "100"), ("0.1", "0.1"), ("0.45359237", "0.45359237"),
            ("999999999999999999", "999999999999999999"), ("1.000000000000000000000", "1"),
        ])
    func parseAndFormat(text: String, expected: String) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.description == expected)
    }

    @Test("the text of any significand and scale: sign, leading zero, point, every digit")
    func textOfEverySize() throws {
        // The reference: the digits of the magnitude, a point `scale` digits from the end.
        func reference(_ significand: Int64, _ scale: Int) -> String {
            var digits = String(significand.magnitude)
            if scale > 0 {
                if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
            }
            return (significand < 0 ? "-" : "") + digits
        }
        var significands: [Int64] = [Int64.max, Int64.min, Int64.min + 1, -1, 1, 7, -9, 10_000_000_000_000_000_01]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            significands.append(Int64(bitPattern: seed) >> Int64(seed % 63))
        }
        for significand in significands where significand % 10 != 0 {
            for scale in 0...18 {
                let value = try #require(ExactDecimal(normalizing: significand, scale: scale))
                let text = reference(significand, scale)
                #expect(value.description == text)
                var bytes: [UInt8] = []
                value.append(to: &bytes)
                #expect(bytes == Array(text.utf8))
                // Read back from a substring as from a string (Int64.min's magnitude is out of the
                // parser's range, as any 19-digit text beyond Int64.max).
                guard significand != .min else { continue }
                #expect(ExactDecimal(text) == value && ExactDecimal("[\(text)]".dropFirst().dropLast()) == value)
            }
        }
    }

    @Test("rejects what is not a number or does not fit", arguments: ["", "-", "1.", ".5", "1e", "abc", "1.2.3", "99999999999999999999", "1e99", "0.0000000000000000001"])
    func rejects(text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test("arithmetic is exact where binary floating point is not")
    func arithmetic() throws {
        let a = try #require(ExactDecimal("0.1"))
        let b = try #require(ExactDecimal("0.2"))
        #expect(a.adding(b)?.description == "0.3")
        #expect(try #require(ExactDecimal("12.5")).multiplied(by: ExactDecimal(12))?.description == "150")
        // 1 LBR = 0.45359237 KGM by definition.
        let pounds = try #require(ExactDecimal("2.5"))
        #expect(pounds.multiplied(by: try #require(ExactDecimal("0.45359237")))?.description == "1.133980925")
        #expect(try #require(ExactDecimal("5")).subtracting(try #require(ExactDecimal("7.25")))?.description == "-2.25")
        #expect(ExactDecimal(Int(Int64.max)).adding(.one) == nil)
    }

    @Test("division is exact when it terminates, else rounded half to even")
    func division() throws {
        let ten = ExactDecimal(10)
        let four = ExactDecimal(4)
        let exact = try #require(ten.divided(by: four))
        #expect(exact.value.description == "2.5" && exact.exact)
        let third = try #require(ExactDecimal(1).divided(by: ExactDecimal(3), scale: 4))
        #expect(third.value.description == "0.3333" && !third.exact)
        #expect(ExactDecimal(2).divided(by: ExactDecimal(3), scale: 2)?.value.description == "0.67")
        // Half to even: 0.125 -> 0.12, 0.135 -> 0.14
        #expect(try #require(ExactDecimal("0.125")).divided(by: .one, scale: 2)?.value.description == "0.12")
        #expect(try #require(ExactDecimal("0.135")).divided(by: .one, scale: 2)?.value.description == "0.14")
        #expect(ExactDecimal(-2).divided(by: ExactDecimal(3), scale: 2)?.value.description == "-0.67")
        #expect(ten.divided(by: .zero) == nil)
    }

    @Test("equal values compare and hash equal whatever their written scale")
    func equality() throws {
        #expect(ExactDecimal("1.50") == ExactDecimal("1.5"))
        #expect(try #require(ExactDecimal("1.5")) < ExactDecimal(2))
        #expect(try #require(ExactDecimal("-1")) < .zero)
        #expect(ExactDecimal("3.0")?.isWhole == true)
        #expect(ExactDecimal("3.01")?.isWhole == false)
    }
}
