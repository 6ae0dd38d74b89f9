import AgencyDomain
import Foundation
import Hummingbird

/// A submitted `multipart/form-data` form (RFC 7578) with a file, read only after its `csrf` part
/// has been checked, as `DashboardForm` does for plain forms. Only what the logo form needs: each
/// part's name and bytes.
struct DashboardUpload: Sendable {
    var parts: [String: [UInt8]]

    /// A logo (at most 256 KiB) and the form's fields, with room for the encoding; more is 413.
    static let bodyLimit = 512 * 1024

    static func read(_ request: Request, secret: String?) async throws -> DashboardUpload {
        guard let type = request.headers[.contentType], let boundary = boundary(of: type) else { throw DashboardRefusal.staleForm }
        let data = try await request.bodyData(limit: bodyLimit)
        let upload = DashboardUpload(parts: parse(Array(data), boundary: boundary))
        let csrf = upload.parts["csrf"].map { String(decoding: $0, as: UTF8.self) }
        guard SessionSecrets.csrfMatches(csrf, session: secret) else { throw DashboardRefusal.staleForm }
        return upload
    }

    /// `multipart/form-data; boundary=XYZ` (quoted or not).
    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Splits the body at `--boundary` lines; each part is headers, an empty line, and its bytes.
    /// A name given twice keeps its first part.
    static func parse(_ body: [UInt8], boundary: String) -> [String: [UInt8]] {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without the CRLF before it.
        var bytes = Array("\r\n".utf8) + body
        var parts: [String: [UInt8]] = [:]
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        while let found = firstRange(of: delimiter, in: bytes, from: start) {
            chunks.append(bytes[start..<found])
            start = found + delimiter.count
        }
        bytes = []
        for chunk in chunks.dropFirst() {
            let separator = Array("\r\n\r\n".utf8)
            guard let headerEnd = firstRange(of: separator, in: Array(chunk), from: 0) else { continue }
            let part = Array(chunk)
            let headers = String(decoding: part[0..<headerEnd], as: UTF8.self)
            guard let name = fieldName(in: headers), parts[name] == nil else { continue }
            parts[name] = Array(part[(headerEnd + separator.count)...])
        }
        return parts
    }

    /// `Content-Disposition: form-data; name="logo"; filename="x.png"` → `logo`.
    static func fieldName(in headers: String) -> String? {
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            guard let range = line.range(of: " name=\"") ?? line.range(of: ";name=\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        return nil
    }

    static func firstRange(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
