import AgencyDomain
import Testing

@Suite("Branding and domain rules: colours, host names, logos, DNS messages")
struct BrandingRulesTests {
    @Test func accentColoursAreSixHexDigits() throws {
        #expect(try AccentColour.validated(" #1F6fEb ") == "#1f6feb")
        for bad in ["1f6feb", "#1f6fe", "#1f6febb", "#gggggg", "#1f6feb;", "", "#ÿÿÿÿÿÿ"] {
            #expect(throws: DomainError.self, "\(bad)") { try AccentColour.validated(bad) }
        }
    }

    @Test func hostNamesAreDNSNames() throws {
        #expect(try HostName.validated("App.Northwind.Example.") == "app.northwind.example")
        #expect(try HostName.validated("xn--bcher-kva.example") == "xn--bcher-kva.example")
        for bad in ["localhost", "127.0.0.1", "app.example:443", "https://app.example", "-app.example", "app-.example", "a..example",
                    "app_1.example", String(repeating: "a", count: 64) + ".example", "", "app.example/login", "bücher.example"] {
            #expect(throws: DomainError.self, "\(bad)") { try HostName.validated(bad) }
        }
        #expect(HostName.fromHeader("APP.northwind.example:8443") == "app.northwind.example")
        #expect(HostName.fromHeader("[::1]:8080") == nil && HostName.fromHeader("<script>") == nil && HostName.fromHeader(nil) == nil)
    }

    @Test func logosAreRecognisedByTheirBytes() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 1, 0, 0, 0, 0, 64, 8, 6, 0, 0, 0]
        let logo = try LogoImage.validated(png)
        #expect(logo.format == .png && logo.width == 256 && logo.height == 64 && logo.digest.count == 64)
        // A JPEG whose frame header follows an APP0 segment and a fill byte.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x30, 0x01, 0x40, 0x01, 0x01, 0x11, 0x00]
        let photo = try LogoImage.validated(jpeg)
        #expect(photo.format == .jpeg && photo.width == 320 && photo.height == 48)
        png[19] = 0  // width 0
        png[18] = 0
        #expect(throws: DomainError.self) { try LogoImage.validated(png) }
        #expect(throws: DomainError.self) { try LogoImage.validated(Array("\u{FEFF}  <svg><script>alert(1)</script></svg>".utf8)) }
        #expect(throws: DomainError.self) { try LogoImage.validated([0xFF, 0xD8, 0xFF, 0xD9]) }
        #expect(throws: DomainError.self) { try LogoImage.validated(Array(png.prefix(20))) }
    }

    @Test func aTXTQueryIsWrittenAndItsAnswerRead() throws {
        let query = try DNSTXTMessage.query(id: 0xBEEF, name: "_agency-snapshots.app.example")
        #expect(Array(query.prefix(6)) == [0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01])
        #expect(Array(query.suffix(4)) == [0, 16, 0, 1])
        // The reply: the question echoed, two answers naming it by a pointer, one of them a TXT record
        // of two character-strings, the other a CNAME to skip.
        var reply: [UInt8] = [0xBE, 0xEF, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0] + Array(query[12...])
        reply += [0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x0C]
        reply += [0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60, 0, 8, 3] + Array("abc".utf8) + [3] + Array("def".utf8)
        #expect(try DNSTXTMessage.answer(reply, id: 0xBEEF) == .records(["abcdef"]))
        #expect(try DNSTXTMessage.answer(reply, id: 0xBEEE) == nil, "another query's answer is not this one's")
        var nxdomain = Array(reply.prefix(12))
        nxdomain[3] = 0x83
        #expect(try DNSTXTMessage.answer(nxdomain, id: 0xBEEF) == .noSuchName)
        var failure = nxdomain
        failure[3] = 0x82
        #expect(throws: DNSTXTMessage.Malformed.self) { try DNSTXTMessage.answer(failure, id: 0xBEEF) }
        #expect(throws: DNSTXTMessage.Malformed.self) { try DNSTXTMessage.answer(Array(reply.dropLast(2)), id: 0xBEEF) }
    }

    @Test func theRecordProvesOnlyItsToken() {
        let token = DomainVerification.newToken()
        #expect(token.count == 26 && token != DomainVerification.newToken())
        #expect(DomainVerification.proves(["v=spf1", "agency-snapshots-verify=\(token)"], token: token))
        #expect(!DomainVerification.proves(["agency-snapshots-verify=\(token)x", "agency-snapshots-verify="], token: token))
    }
}
