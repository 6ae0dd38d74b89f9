import AgencyAPI
import AgencyHTTP
import Foundation
import Hummingbird
import HummingbirdTesting

/// Test images made by hand from their formats' headers, and a service whose domain checks ask a
/// fake DNS server on loopback.
enum TestImages {
    /// A PNG's signature and IHDR chunk (PNG §5.2, §11.2.2), padded to `size` bytes.
    static func png(width: UInt32 = 64, height: UInt32 = 32, size: Int = 64) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        for value in [width, height] { bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        bytes += [8, 6, 0, 0, 0, 0, 0, 0, 0]
        return bytes + [UInt8](repeating: 0, count: max(0, size - bytes.count))
    }

    /// SOI, an APP0 segment, then a baseline SOF0 holding height and width.
    static func jpeg(width: UInt16 = 40, height: UInt16 = 20) -> [UInt8] {
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x11, 0x08,
         UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 0x03] + [UInt8](repeating: 0, count: 12) + [0xFF, 0xD9]
    }

    static let svgWithScript = Array("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8)
    static let gif = Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0]
}

extension TestService {
    /// Runs `body` against a router whose domain checks ask `dns`.
    func test<T: Sendable>(dns: FakeDNSServer, _ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        var settings = Self.settings
        settings.dnsResolver = dns.address
        let app = Application(router: buildRouter(database: database, settings: settings))
        return try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }
}

extension APIClient {
    /// Claims `host` for the agency, publishes its TXT record on `dns` and verifies it.
    func activeDomain(_ host: String, agency token: String, dns: FakeDNSServer) async throws -> DomainBody {
        let added = try await request(.post, "/v1/agency/domains", agency: token, json: ["host": host])
        guard added.status == .created else { throw FixtureError(reply: added.text) }
        let domain = try added.decode(DomainBody.self)
        dns.set(domain.verification.name, .txt([domain.verification.value]))
        let verified = try await request(.post, "/v1/agency/domains/\(domain.id)/verify", agency: token)
        guard verified.status == .ok else { throw FixtureError(reply: verified.text) }
        return try verified.decode(DomainBody.self)
    }

    /// Uploads a logo as the body of `PUT /v1/agency/branding/logo`.
    func uploadLogo(_ bytes: [UInt8], agency token: String, contentType: String = "image/png") async throws -> Reply {
        let response = try await client.executeRequest(
            uri: "/v1/agency/branding/logo", method: .put, headers: [.authorization: "Bearer \(token)", .contentType: contentType],
            body: ByteBuffer(bytes: bytes)
        )
        return Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }
}
