import AgencyDomain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A Brevo API v3 on 127.0.0.1, written from Brevo's public reference: `api-key` header;
/// `GET /v3/contacts/attributes`; `POST /v3/contacts` (201 with the new id, or 204 when
/// `updateEnabled` updated an existing contact; 400 `duplicate_parameter` without it);
/// `PUT /v3/contacts/{identifier}` (204; 404 `document_not_found`), with `attributes.EMAIL` to change
/// the address, `listIds`, `unlinkListIds`, `emailBlacklisted`. Attributes must exist under exactly
/// their name (400 `invalid_parameter`), and `SMS` must look like a phone number, as Brevo checks.
/// Faults queued with `inject` answer the next contact requests instead.
final class FakeBrevo: Sendable {
    struct RemoteContact: Equatable, Sendable {
        var id: Int
        var email: String
        var attributes: [String: String]
        var listIDs: Set<Int>
        var blacklisted: Bool
    }

    enum Fault: Sendable {
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Answers only after this long: longer than the client's timeout, it is no answer.
        case delay(Duration)
    }

    struct Call: Sendable {
        var method: String
        var path: String
        var body: String
        var at: Date
    }

    struct State: Sendable {
        var contacts: [String: RemoteContact] = [:]   // by lower-cased email
        var nextID = 1
        var faults: [Fault] = []
        var calls: [Call] = []
    }

    let apiKey: String
    let attributes: [String]
    let state = Mutex(State())

    init(apiKey: String = "xkeysib-test-key", attributes: [String] = ["FIRSTNAME", "LASTNAME", "SMS", "GOAL"]) {
        self.apiKey = apiKey
        self.attributes = attributes
    }

    func inject(_ faults: Fault...) { state.withLock { $0.faults.append(contentsOf: faults) } }
    var contacts: [String: RemoteContact] { state.withLock { $0.contacts } }
    /// Contact requests (POST and PUT), in order, faults included.
    var calls: [Call] { state.withLock { $0.calls } }

    /// Runs `body` with the fake listening on a free loopback port; answers its base URL.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        try await Application(router: router()).test(.live) { client in
            let port = client.port ?? 0
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("v3/contacts/attributes") { request, _ -> Response in
            guard request.headers[HTTPField.Name("api-key")!] == self.apiKey else { return Self.error(401, "unauthorized", "Key not found") }
            return Self.reply(200, ["attributes": .array(self.attributes.map { .object(["name": .string($0), "category": .string("normal"), "type": .string("text")]) })])
        }
        router.post("v3/contacts") { request, _ -> Response in
            try await self.contactRequest(request, identifier: nil)
        }
        router.put("v3/contacts/:identifier") { request, context -> Response in
            try await self.contactRequest(request, identifier: context.parameters.get("identifier")?.removingPercentEncoding)
        }
        return router
    }

    func contactRequest(_ request: Request, identifier: String?) async throws -> Response {
        let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
        let fault: Fault? = state.withLock { state in
            state.calls.append(Call(method: identifier == nil ? "POST" : "PUT", path: request.uri.path, body: text, at: Date()))
            return state.faults.isEmpty ? nil : state.faults.removeFirst()
        }
        switch fault {
        case .status(let status, let headers, let body)?:
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
            return Response(status: .serviceUnavailable)
        case nil:
            break
        }
        guard request.headers[HTTPField.Name("api-key")!] == apiKey else { return Self.error(401, "unauthorized", "Key not found") }
        guard let object = (try? JSONValue.parse(text))?.objectValue else { return Self.error(400, "bad_request", "Malformed JSON") }
        var attributes: [String: String] = [:]
        for (name, value) in object["attributes"]?.objectValue ?? [:] {
            guard name == "EMAIL" || self.attributes.contains(name) else {
                return Self.error(400, "invalid_parameter", "Attribute \(name) does not exist")
            }
            attributes[name] = value.stringValue ?? ""
        }
        if let sms = attributes["SMS"], !sms.isEmpty, !(sms.hasPrefix("+") && sms.dropFirst().allSatisfy(\.isNumber) && sms.count >= 8) {
            return Self.error(400, "invalid_parameter", "Invalid phone number")
        }
        let link = Set((object["listIds"]?.arrayValue ?? []).compactMap { value -> Int? in if case .number(let n) = value { Int(n) } else { nil } })
        let unlink = Set((object["unlinkListIds"]?.arrayValue ?? []).compactMap { value -> Int? in if case .number(let n) = value { Int(n) } else { nil } })
        let blacklist: Bool? = if case .bool(let flag)? = object["emailBlacklisted"] { flag } else { nil }
        return state.withLock { state -> Response in
            if let identifier {
                guard var contact = state.contacts.removeValue(forKey: identifier.lowercased()) else {
                    return Self.error(404, "document_not_found", "Contact does not exist")
                }
                if let email = attributes.removeValue(forKey: "EMAIL") { contact.email = email }
                contact.attributes.merge(attributes) { $1 }
                contact.listIDs.formUnion(link)
                contact.listIDs.subtract(unlink)
                if let blacklist { contact.blacklisted = blacklist }
                state.contacts[contact.email.lowercased()] = contact
                return Response(status: .noContent)
            }
            guard let email = object["email"]?.stringValue else { return Self.error(400, "missing_parameter", "email is missing") }
            if var existing = state.contacts[email.lowercased()] {
                guard case .bool(true)? = object["updateEnabled"] else { return Self.error(400, "duplicate_parameter", "Contact already exist") }
                existing.attributes.merge(attributes) { $1 }
                existing.listIDs.formUnion(link)
                if let blacklist { existing.blacklisted = blacklist }
                state.contacts[email.lowercased()] = existing
                return Response(status: .noContent)
            }
            let contact = RemoteContact(id: state.nextID, email: email, attributes: attributes, listIDs: link, blacklisted: blacklist ?? false)
            state.nextID += 1
            state.contacts[email.lowercased()] = contact
            return Self.reply(201, ["id": .number(Double(contact.id))])
        }
    }

    /// Brevo's error shape: `{"code", "message"}`.
    static func error(_ status: Int, _ code: String, _ message: String) -> Response {
        reply(status, ["code": .string(code), "message": .string(message)])
    }

    static func reply(_ status: Int, _ body: [String: JSONValue]) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(body).canonicalText()))
        )
    }
}

/// Any tool behind the `webhook` provider: checks each event's `Signature`, keeps the event ids it has
/// applied and applies each once, and can fail on purpose.
final class SyncWebhookReceiver: Sendable {
    struct Event: Sendable {
        var id: String
        var type: String
        var contactID: String
        var email: String
        var json: [String: JSONValue]
    }

    struct State: Sendable {
        var applied: [Event] = []
        var duplicates = 0
        var badSignatures = 0
        var failNext: [Int] = []
        var requests = 0
    }

    let secret: String
    let state = Mutex(State())

    init(secret: String = "whsec-receiver-secret-0123456789") {
        self.secret = secret
    }

    var applied: [Event] { state.withLock { $0.applied } }
    func failNext(_ statuses: Int...) { state.withLock { $0.failNext.append(contentsOf: statuses) } }

    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("events") { request, _ -> Response in
            let bytes = Array(String(buffer: try await request.body.collect(upTo: 1 << 20)).utf8)
            let signature = request.headers[HTTPField.Name("Signature")!] ?? ""
            return self.state.withLock { state -> Response in
                state.requests += 1
                if !state.failNext.isEmpty { return Response(status: .init(code: state.failNext.removeFirst())) }
                guard SyncSignature.verify(header: signature, secret: self.secret, body: bytes, now: Date()) else {
                    state.badSignatures += 1
                    return Response(status: .unauthorized)
                }
                guard let object = (try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)))?.objectValue,
                      let id = object["id"]?.stringValue, let contact = object["contact"]?.objectValue
                else { return Response(status: .badRequest) }
                if state.applied.contains(where: { $0.id == id }) {
                    state.duplicates += 1
                } else {
                    state.applied.append(Event(
                        id: id, type: object["type"]?.stringValue ?? "", contactID: contact["id"]?.stringValue ?? "",
                        email: contact["email"]?.stringValue ?? "", json: object
                    ))
                }
                return Response(status: .ok)
            }
        }
        return try await Application(router: router).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port ?? 0)/events")
        }
    }
}
