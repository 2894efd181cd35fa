import Model
import Testing

@Suite("JSON parser and writer")
struct JSONTests {
    @Test("numbers keep their exact text; members keep document order")
    func exactNumbers() throws {
        let value = try JSONParser.parse(#"{"b": 0.1, "a": [1e2, -0, 12.50], "c": "x"}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["b"] == .number("0.1"))
        #expect(object["a"] == .array([.number("1e2"), .number("-0"), .number("12.50")]))
    }

    @Test("strings: escapes, surrogate pairs and UTF-8")
    func strings() throws {
        let value = try JSONParser.parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\udce6", "Zürich"]"#)
        #expect(value == .array([.string("a\"b\\c/d\n"), .string("é📦"), .string("Zürich")]))
    }

    @Test(
        "rejects malformed or hostile JSON with the byte offset",
        arguments: [
            (#"{"a":1,"a":2}"#, "duplicate member name"),
            (#"{"a":01}"#, "leading zeros"),
            (#"[1,]"#, "unexpected character"),
            (#"{"a":1} x"#, "unexpected content"),
            (#""\ud800""#, "unpaired surrogate"),
            ("\"a\u{01}b\"", "control character"),
            (#"{"a":tru}"#, "invalid literal"),
            (#""#, "empty document"),
            (#"{"a":"\x"}"#, "invalid escape"),
        ])
    func rejects(text: String, message: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.message.contains(message) == true
        }
    }

    @Test("duplicate names in a wide object are found by name, not by comparing every pair")
    func wideObject() throws {
        // 300,000 members: compared pairwise, 4.5 * 10^10 comparisons (the hub stalled for minutes).
        let names = (0..<300_000).map { "\"k\($0)\":0" }
        let unique = try JSONParser.parse("{" + names.joined(separator: ",") + "}")
        #expect(unique.objectValue?.count == 300_000)
        #expect(unique.objectValue?["k299999"] == .number("0"))
        for repeated in ["k3", "k20", "k299998"] {
            #expect {
                _ = try JSONParser.parse("{" + names.joined(separator: ",") + ",\"\(repeated)\":1}")
            } throws: { error in
                (error as? JSONParseError)?.message.contains("duplicate member name \"\(repeated)\"") == true
            }
        }
        // Around the point where the names go into a set: a repeat of the first name is found
        // whichever side of it it falls.
        for count in 14...18 {
            let few = (0..<count).map { "\"n\($0)\":0" } + ["\"n0\":1"]
            #expect(throws: JSONParseError.self) { _ = try JSONParser.parse("{" + few.joined(separator: ",") + "}") }
        }
    }

    @Test("invalid UTF-8 is rejected")
    func invalidUTF8() {
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("nesting deeper than the limit is rejected, not a stack overflow")
    func depth() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { _ = try JSONParser.parse(fine) }
    }

    @Test("errors point into the document")
    func pointer() throws {
        do {
            _ = try JSONParser.parse(#"{"scans": [{"a": 1}, {"b": tru}]}"#)
            Issue.record("no error")
        } catch {
            #expect(error.pointer.description == "/scans/1/b")
            #expect(error.offset == 27)
        }
        // Each kind of error names the value it is in: a member's name, an escape, a separator,
        // a duplicate (the object's own pointer) and the document itself.
        let cases: [(String, String)] = [
            (#"{"a": [{"b": 1}, {"c": "\u12"}]}"#, "/a/1/c"),
            (#"{"a": {"b": [1, 2 3]}}"#, "/a/b"),
            (#"{"a": {"b": 1, "b": 2}}"#, "/a"),
            (#"{"a": [[], [{"x~/y": 01}]]}"#, "/a/1/0/x~0~1y"),
            (#"{"a": 1} x"#, ""),
        ]
        for (text, pointer) in cases {
            #expect(throws: JSONParseError.self) { _ = try JSONParser.parse(text) }
            do { _ = try JSONParser.parse(text) } catch { #expect(error.pointer.description == pointer, "\(text)") }
        }
    }

    @Test("the writer escapes control characters and writes members in order")
    func writer() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("z", "line1\nline2\u{07}\"q\"")
        writer.field("a", ExactDecimal("12.50"))
        writer.key("list")
        writer.beginArray()
        writer.number(1)
        writer.beginObject()
        writer.endObject()
        writer.null()
        writer.endArray()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"z":"line1\nline2\u0007\"q\"","a":12.5,"list":[1,{},null]}"#)
        // What the writer writes, the parser reads back, and writing it again gives the same bytes.
        var again = JSONWriter()
        again.value(try JSONParser.parse(writer.bytes))
        #expect(again.bytes == writer.bytes)
    }

    @Test("commas stay right in containers nested deeper than the writer's 64-level fast path", arguments: [1, 63, 64, 65, 130])
    func deepWriter(depth: Int) throws {
        var writer = JSONWriter()
        for _ in 0..<depth {
            writer.beginArray()
            writer.number(1)
        }
        for _ in 0..<depth {
            writer.number(2)
            writer.endArray()
        }
        let expected = String(repeating: "[1,", count: depth) + "2]" + String(repeating: ",2]", count: depth - 1)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test("strings with escapes among plain runs are written exactly")
    func escapesAmongPlainRuns() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\u{1F}d\u{7F}é\té")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\u001fd\u007fé\té""#)
    }
}

@Suite("JSON lines")
struct JSONLineTests {
    @Test("the line breaks JSON allows raw (U+0085, U+2028, U+2029) are escaped, other characters of their lead bytes kept")
    func lineBreaks() throws {
        var w = JSONWriter(capacity: 64)
        w.string("a\u{2028}b\u{2029}c\u{85}d€é\u{A0}")
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == #""a\u2028b\u2029c\u0085d€é\#u{A0}""#)
        #expect(try JSONParser.parse(w.bytes).stringValue == "a\u{2028}b\u{2029}c\u{85}d€é\u{A0}")
        #expect(text.split(whereSeparator: \.isNewline).count == 1)
    }
}
