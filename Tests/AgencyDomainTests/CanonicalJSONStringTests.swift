@testable import AgencyDomain
import Testing

@Suite("Canonical JSON string literals")
struct CanonicalJSONStringTests {
    static let samples: [String] = [
        String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }),
        #"<img src="a.png"> \ / 'quoted' </script>"#,
        "émoji 🏋️‍♀️ \u{2028} \u{2029} \u{FEFF} 中文",
        "",
    ]

    /// Writing a string gives the very bytes the canonical encoder writes, and reading them gives the string back.
    @Test(arguments: samples) func matchesTheCanonicalEncoder(_ text: String) throws {
        let canonical = Array(JSONValue.string(text).canonicalText().utf8)
        #expect(CanonicalJSONString.encode(text) == canonical)
        let decoded = try #require(CanonicalJSONString.decode(canonical, from: 0))
        #expect(decoded.text == text)
        #expect(decoded.end == canonical.count)
    }

    /// Escapes other encoders use (\/ and \u sequences with surrogate pairs) are read too.
    @Test func readsOtherEscapes() throws {
        let bytes = Array(#""a\/b \u00e9 \ud83c\udfcb \n""#.utf8)
        #expect(CanonicalJSONString.decode(bytes, from: 0)?.text == "a/b é 🏋 \n")
        #expect(CanonicalJSONString.decode(Array(#""unterminated"#.utf8), from: 0) == nil)
    }
}

@Suite("Inert bodies from canonical text")
struct InertCanonicalTests {
    static let cases: [(AssetKind, JSONValue)] = [
        (.automation, .object(["name": .string("A"), "status": .string("active"), "steps": .array([.object(["type": .string("wait")])])])),
        (.automation, .object(["name": .string("B"), "status": .string("inactive")])),
        (.automation, .object(["name": .string("C"), "status": .string("active"), "steps": .array([.object(["status": .string("x")])])])),
        (.campaign, .object(["name": .string("D"), "status": .string("sent"), "lists": .array([.string("1")])])),
        (.campaign, .object(["name": .string("E"), "status": .string("draft")])),
        (.campaign, .object(["name": .string("F")])),
        (.tag, .object(["tag": .string("G")])),
    ]

    /// The in-place path gives exactly what parsing, changing and re-encoding gives.
    @Test func inPlaceEqualsTheGeneralPath() throws {
        for (kind, body) in Self.cases {
            let general = InertBody.of(kind: kind, body: body.objectValue!).map { JSONValue.object($0).canonicalText() }
            #expect(try InertBody.of(kind: kind, canonicalBody: body.canonicalText()) == general, "\(kind) \(body)")
        }
    }
}
