import AgencyDomain
import Foundation
import HTTPTypes
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`), read only after its CSRF token
/// has been checked: a handler cannot get at the fields of a forged form.
struct DashboardForm: Sendable {
    var fields: [String: String]

    /// Dashboard forms are a few short fields.
    static let bodyLimit = 16 * 1024

    /// Reads the form and checks its `csrf` field against the token of `secret` (the session id,
    /// or the sign-in nonce). A missing or wrong token is refused with 403 and nothing is done.
    static func read(_ request: Request, secret: String?) async throws -> DashboardForm {
        let data = try await request.bodyData(limit: bodyLimit)
        let form = DashboardForm(fields: parse(String(decoding: data, as: UTF8.self)))
        guard SessionSecrets.csrfMatches(form.fields["csrf"], session: secret) else { throw DashboardRefusal.staleForm }
        return form
    }

    /// `a=1&b=x+y` into fields; a name given twice keeps its first value, a malformed escape drops
    /// the pair.
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if let value, fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// A positive whole number, or nil for anything else (an empty drop-down choice included).
    func id(_ name: String) -> Int64? {
        guard let text = fields[name], let id = Int64(text), id > 0 else { return nil }
        return id
    }
}

/// A dashboard request refused for a reason that is not a `DomainError`.
enum DashboardRefusal: Error {
    /// The form's CSRF token is missing or is not this session's.
    case staleForm

    var status: HTTPResponse.Status { .forbidden }
    var message: String {
        "This form is out of date or did not come from this dashboard, so nothing was done. Go back, reload the page and try again."
    }
}
