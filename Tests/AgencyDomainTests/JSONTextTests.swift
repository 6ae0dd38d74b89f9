import AgencyDomain
import Foundation
import Testing

/// `JSONValue`'s own parser and writer against Foundation's coders, which they replace on the hot
/// paths: the same values from the same text, and the same bytes out.
@Suite("JSON text: parse and canonical form")
struct JSONTextTests {
    static let strings = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}\u{7F}", "ümlaut ß é e\u{301}",
        "emoji 😀👩‍👩‍👧", "\u{2028}\u{2029}", "<p style=\"a:b\">Hi</p>", "%FIRSTNAME%", "ﬀ", "日本語",
    ]
    static let numbers: [Double] = [0, -0.0, 1, -1, 42, 1.5, 0.1, 1e15, 1e15 - 1, 1e20, 1e-7, 123456789012345.6, 9007199254740993, -2.5e-300, 3e300]

    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func value(depth: Int) -> JSONValue {
            switch next(depth > 3 ? 4 : 6) {
            case 0: return .null
            case 1: return .bool(next(2) == 0)
            case 2: return .number(JSONTextTests.numbers[next(JSONTextTests.numbers.count)])
            case 3: return .string(JSONTextTests.strings[next(JSONTextTests.strings.count)])
            case 4: return .array((0..<next(4)).map { _ in value(depth: depth + 1) })
            default:
                var object: [String: JSONValue] = [:]
                for _ in 0..<next(5) { object[JSONTextTests.strings[next(JSONTextTests.strings.count)] + String(next(3))] = value(depth: depth + 1) }
                return .object(object)
            }
        }
    }

    static func foundationText(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func writesWhatJSONEncoderWritesAndReadsItBack() throws {
        var generator = Generator(state: 13)
        for _ in 0..<2_000 {
            let value = generator.value(depth: 0)
            let text = value.canonicalText()
            #expect(text == (try Self.foundationText(value)))
            let parsed = try JSONValue.parse(text)
            #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
            #expect(parsed.canonicalText() == text)
        }
    }

    @Test func readsEscapesAndWhitespaceAsJSONDecoderDoes() throws {
        let texts = [
            #" { "a" : [ 1 , 2.5e3 , -0.25E-2 , true , false , null ] , "b\u00e9\ud83d\ude00" : "x\/y\\z\"\b\f\n\r\t" } "#,
            "[]", "{}", "\"\"", "0", "-0", "[[[[]]]]", #"{"a":1,"a":2}"#,
        ]
        for text in texts {
            #expect(try JSONValue.parse(text) == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))), "\(text)")
        }
    }

    @Test func refusesWhatIsNotJSON() {
        let texts = [
            "", " ", "{", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":1,}"#, "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "nul", "tru",
            "[1] x", "\"unterminated", #""lone \ud800 surrogate""#, "\"raw \u{1} control\"", #""bad \x escape""#, "1e400", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ]
        for text in texts {
            #expect(throws: (any Error).self, "\(text.prefix(20))") { try JSONValue.parse(text) }
        }
    }
}

@Suite("Canonical diff: FieldChange on bytes")
struct CanonicalDiffTests {
    /// A copy of `value` with one random change deep inside: a leaf replaced, a key added or removed,
    /// an item appended.
    static func mutated(_ value: JSONValue, _ generator: inout JSONTextTests.Generator) -> JSONValue {
        switch value {
        case .object(var object) where !object.isEmpty && generator.next(4) > 0:
            let key = object.keys.sorted()[generator.next(object.count)]
            switch generator.next(5) {
            case 0: object[key] = nil
            case 1: object[key + "~/new"] = generator.value(depth: 3)
            default: object[key] = mutated(object[key]!, &generator)
            }
            return .object(object)
        case .array(var items) where !items.isEmpty && generator.next(4) > 0:
            if generator.next(4) == 0 { items.append(generator.value(depth: 3)) } else {
                let index = generator.next(items.count)
                items[index] = mutated(items[index], &generator)
            }
            return .array(items)
        default:
            return generator.value(depth: 2)
        }
    }

    @Test func findsWhatFieldChangeFinds() throws {
        var generator = JSONTextTests.Generator(state: 99)
        for _ in 0..<3_000 {
            let old = generator.value(depth: 0)
            let new = Self.mutated(old, &generator)
            #expect(CanonicalDiff.pointers(old.canonicalText(), new.canonicalText()) == FieldChange.between(old, new).map(\.pointer))
        }
    }
}

@Suite("Canonical object: members added to stored text")
struct CanonicalObjectTests {
    @Test func writesWhatMergingAndEncodingWrites() {
        var generator = JSONTextTests.Generator(state: 7)
        for _ in 0..<2_000 {
            guard case .object(let body) = generator.value(depth: 0) else { continue }
            var extras: [String: JSONValue] = ["id": .string(String(generator.next(1_000))), "cdate": .string("2026-11-30T00:00:00Z")]
            // Sometimes an extra replaces a member the body has.
            if let key = body.keys.sorted().first, generator.next(3) == 0 { extras[key] = generator.value(depth: 2) }
            var output: [UInt8] = []
            CanonicalObject.append(JSONValue.object(body).canonicalText(), adding: extras, to: &output)
            #expect(String(decoding: output, as: UTF8.self) == JSONValue.object(body.merging(extras) { $1 }).canonicalText())
        }
    }
}
