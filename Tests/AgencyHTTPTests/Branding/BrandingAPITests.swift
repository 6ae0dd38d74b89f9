import AgencyAPI
import AgencyDomain
import AgencyHTTP
import Foundation
import HTTPTypes
import Testing

@Suite("Agency branding: name, accent colour and logo through the agency API")
struct BrandingAPITests {
    @Test func nameAndAccentAreSetReadAndCleared() async throws {
        let service = try await TestService()
        let (empty, set, read, cleared) = try await service.test { api in
            let empty = try await api.request(.get, "/v1/agency/branding", agency: service.agencyA)
            let set = try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": " Northwind Digital ", "accent": "#1F6FEB"])
            let read = try await api.request(.get, "/v1/agency/branding", agency: service.agencyA)
            let cleared = try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": "Northwind"])
            return (empty, set, read, cleared)
        }
        #expect(empty.status == .ok && empty.json["display_name"] is NSNull && empty.json["logo_url"] is NSNull)
        #expect(set.status == .ok)
        #expect(read.json["display_name"] as? String == "Northwind Digital" && read.json["accent"] as? String == "#1f6feb")
        #expect(cleared.json["display_name"] as? String == "Northwind" && cleared.json["accent"] is NSNull)
    }

    /// Only `#rrggbb` reaches CSS; anything else is 422 naming the field, and nothing changes.
    @Test(arguments: ["red", "#fff", "#12345g", "#1f6feb;}body{", "", "url(x)"])
    func anAccentThatIsNotSixHexDigitsIsRefused(_ accent: String) async throws {
        let service = try await TestService()
        let (reply, after) = try await service.test { api in
            (try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": "N", "accent": accent]),
             try await api.request(.get, "/v1/agency/branding", agency: service.agencyA))
        }
        #expect(reply.status == .unprocessableContent && reply.errorCode == "invalid" && reply.error?.field == "accent")
        #expect(after.json["display_name"] is NSNull)
    }

    /// A PNG is stored and served under its digest, cacheable for good and never sniffed.
    @Test func aLogoIsServedUnderItsDigest() async throws {
        let service = try await TestService()
        let png = TestImages.png()
        let (uploaded, served, wrongExtension) = try await service.test { api in
            let uploaded = try await api.uploadLogo(png, agency: service.agencyA, contentType: "text/html")
            let url = uploaded.json["logo_url"] as? String ?? ""
            return (uploaded, try await api.request(.get, url), try await api.request(.get, url.replacingOccurrences(of: ".png", with: ".jpg")))
        }
        let digest = LogoImage.validatedDigest(png)
        #expect(uploaded.status == .ok && uploaded.json["logo_url"] as? String == "/branding/logos/\(digest).png")
        #expect(served.status == .ok && Array(served.body) == png)
        #expect(served.headers[.contentType] == "image/png" && served.headers[.xContentTypeOptions] == "nosniff")
        #expect(served.headers[.cacheControl]?.contains("max-age=31536000") == true)
        #expect(wrongExtension.status == .notFound)
    }

    @Test func aJPEGIsALogoToo() async throws {
        let service = try await TestService()
        let reply = try await service.test { api in try await api.uploadLogo(TestImages.jpeg(), agency: service.agencyA) }
        #expect(reply.status == .ok && (reply.json["logo_url"] as? String)?.hasSuffix(".jpg") == true)
    }

    /// Too big, too many pixels, not an image, an SVG with script: 422, and the old logo stays.
    @Test func aLogoThatIsTooBigOrOfTheWrongTypeIsRefused() async throws {
        let service = try await TestService()
        let refused: [(String, APIClient.Reply)] = try await service.test { api in
            _ = try await api.uploadLogo(TestImages.png(), agency: service.agencyA)
            return [
                ("KiB", try await api.uploadLogo(TestImages.png(size: 300 * 1024), agency: service.agencyA)),
                ("pixels", try await api.uploadLogo(TestImages.png(width: 100_000, height: 10), agency: service.agencyA)),
                ("PNG or a JPEG", try await api.uploadLogo(TestImages.gif, agency: service.agencyA)),
                ("SVG", try await api.uploadLogo(TestImages.svgWithScript, agency: service.agencyA, contentType: "image/svg+xml")),
                ("empty", try await api.uploadLogo([], agency: service.agencyA)),
            ]
        }
        for (word, reply) in refused {
            #expect(reply.status == .unprocessableContent && reply.error?.field == "logo", "\(word)")
            #expect(reply.error?.message.contains(word) == true, "\(word): \(reply.text)")
        }
        let after = try await service.database.branding(agencyID: 1)
        #expect(after.logoDigest == LogoImage.validatedDigest(TestImages.png()))
    }

    /// Agency B sees its own (empty) branding and cannot change A's.
    @Test func anotherAgencyNeitherSeesNorChangesTheBranding() async throws {
        let service = try await TestService()
        let (seenByB, afterB) = try await service.test { api in
            _ = try await api.request(.put, "/v1/agency/branding", agency: service.agencyA, json: ["display_name": "Northwind", "accent": "#112233"])
            let seenByB = try await api.request(.get, "/v1/agency/branding", agency: service.agencyB)
            _ = try await api.request(.put, "/v1/agency/branding", agency: service.agencyB, json: ["display_name": "Bravo"])
            _ = try await api.request(.delete, "/v1/agency/branding/logo", agency: service.agencyB)
            return (seenByB, try await api.request(.get, "/v1/agency/branding", agency: service.agencyA))
        }
        #expect(seenByB.json["display_name"] is NSNull)
        #expect(afterB.json["display_name"] as? String == "Northwind" && afterB.json["accent"] as? String == "#112233")
    }

    /// The accent stylesheet holds the colour named in its URL, and nothing else is a stylesheet.
    @Test func theAccentStylesheetHoldsOnlyAValidColour() async throws {
        let service = try await TestService()
        let (good, upper, bad) = try await service.test { api in
            (try await api.request(.get, "/branding/accent/1f6feb.css"), try await api.request(.get, "/branding/accent/1F6FEB.css"),
             try await api.request(.get, "/branding/accent/1f6feb%7D.css"))
        }
        #expect(good.status == .ok && good.text == ":root { --accent: #1f6feb; }\n" && good.headers[.contentType] == "text/css; charset=utf-8")
        #expect(upper.status == .notFound && bad.status == .notFound)
    }
}

extension LogoImage {
    static func validatedDigest(_ bytes: [UInt8]) -> String { (try? validated(bytes).digest) ?? "" }
}
