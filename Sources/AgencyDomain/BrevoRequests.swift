import Foundation

/// Brevo's API v3, as its public reference describes it: the `api-key` header; `POST /v3/contacts`
/// with `updateEnabled: true` creates a contact or updates the one with that address (so repeating it
/// is safe); `PUT /v3/contacts/{identifier}` updates a contact known by its address, including a new
/// address (`attributes.EMAIL`) and `unlinkListIds`; attributes go by their upper-case names;
/// `GET /v3/contacts/attributes` lists the account's attributes.
public enum BrevoRequests {
    /// The request that brings the remote contact to `state`. A contact the remote has never seen is
    /// created with POST (only `listIds`: creation has no lists to leave); one it knows, by the address
    /// it knows, is updated with PUT, which can also change the address and leave lists.
    public static func upsert(_ state: SyncContactState, remoteEmail: String?, baseURL: String, apiKey: String) -> SyncRequest {
        var attributes = state.attributes.mapValues { JSONValue.string($0) }
        let linked = state.lists.filter(\.value).keys.sorted().compactMap { Int64($0) }.map { JSONValue.number(Double($0)) }
        let unlinked = state.lists.filter { !$0.value }.keys.sorted().compactMap { Int64($0) }.map { JSONValue.number(Double($0)) }
        var body: [String: JSONValue] = [:]
        let method: String, url: String
        if let remoteEmail {
            method = "PUT"
            url = baseURL + "/v3/contacts/" + (remoteEmail.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? remoteEmail)
            if remoteEmail.lowercased() != state.email.lowercased() { attributes["EMAIL"] = .string(state.email) }
            if !unlinked.isEmpty { body["unlinkListIds"] = .array(unlinked) }
        } else {
            method = "POST"
            url = baseURL + "/v3/contacts"
            body["email"] = .string(state.email)
            body["updateEnabled"] = .bool(true)
        }
        if !linked.isEmpty { body["listIds"] = .array(linked) }
        if !attributes.isEmpty { body["attributes"] = .object(attributes) }
        if state.erased { body["emailBlacklisted"] = .bool(true) }
        return SyncRequest(method: method, url: url, headers: headers(apiKey: apiKey, json: true), body: Array(JSONValue.object(body).canonicalText().utf8))
    }

    public static func attributes(baseURL: String, apiKey: String) -> SyncRequest {
        SyncRequest(method: "GET", url: baseURL + "/v3/contacts/attributes", headers: headers(apiKey: apiKey, json: false), body: nil)
    }

    /// The names in a `GET /v3/contacts/attributes` reply (`{"attributes": [{"name": …}, …]}`).
    public static func attributeNames(from body: [UInt8]) -> [String]? {
        guard let text = String(validating: body, as: UTF8.self), let reply = try? JSONValue.parse(text),
              let items = reply.objectValue?["attributes"]?.arrayValue else { return nil }
        return items.compactMap { $0.objectValue?["name"]?.stringValue }
    }

    /// Brevo's error text when the body is Brevo's error shape (`{"code": "…", "message": "…"}`), at
    /// most 200 characters; empty for any other body. A base URL can point anywhere, so the bytes of an
    /// arbitrary reply are never passed on (not to a reply, a stored failure or a log).
    public static func message(from body: [UInt8]) -> String {
        guard body.count <= 64 * 1024, let text = String(validating: body, as: UTF8.self), let reply = try? JSONValue.parse(text),
              let fields = reply.objectValue, let code = fields["code"]?.stringValue, let message = fields["message"]?.stringValue
        else { return "" }
        _ = code
        let said = message
        return ControlCharacters.contains(said) ? "" : String(said.prefix(200))
    }

    static func headers(apiKey: String, json: Bool) -> [String: String] {
        var headers = ["api-key": apiKey, "accept": "application/json", "user-agent": "agency-snapshots-sync"]
        if json { headers["content-type"] = "application/json" }
        return headers
    }

    /// An address in a path segment: `@` and `+` are escaped too, so that no proxy reads them otherwise.
    static let pathAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}
