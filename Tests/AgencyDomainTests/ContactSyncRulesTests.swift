import AgencyDomain
import Foundation
import Testing

/// The pure rules of contact sync: signatures, sealing, retries, the budget's window, the state sent
/// and the requests Brevo gets.
@Suite("Contact sync rules")
struct ContactSyncRulesTests {
    /// A signature made with the secret verifies; another secret, another body or a timestamp outside
    /// the tolerance (either side) does not.
    @Test func signaturesVerifyOnlyForTheSameSecretBodyAndTime() {
        let body = Array(#"{"id":"evt_1"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = SyncSignature.header(secret: "s3cret-s3cret-s3cret", timestamp: 1_800_000_000, body: body)
        #expect(header.hasPrefix("t=1800000000,v1="))
        #expect(header.count == "t=1800000000,v1=".count + 64)
        #expect(SyncSignature.verify(header: header, secret: "s3cret-s3cret-s3cret", body: body, now: now))
        #expect(!SyncSignature.verify(header: header, secret: "another-secret-here", body: body, now: now))
        #expect(!SyncSignature.verify(header: header, secret: "s3cret-s3cret-s3cret", body: Array(#"{"id":"evt_2"}"#.utf8), now: now))
        #expect(SyncSignature.verify(header: header, secret: "s3cret-s3cret-s3cret", body: body, now: now.addingTimeInterval(300)))
        #expect(!SyncSignature.verify(header: header, secret: "s3cret-s3cret-s3cret", body: body, now: now.addingTimeInterval(301)))
        #expect(!SyncSignature.verify(header: header, secret: "s3cret-s3cret-s3cret", body: body, now: now.addingTimeInterval(-301)))
        #expect(!SyncSignature.verify(header: "v1=abc", secret: "s3cret-s3cret-s3cret", body: body, now: now))
    }

    /// The signature is Stripe's: HMAC-SHA256 over "TIMESTAMP.BODY", in lower-case hex. The vector was
    /// computed independently: Python's `hmac.new(b"key", b"1.{}", hashlib.sha256).hexdigest()`.
    @Test func signatureMatchesAKnownVector() {
        #expect(SyncSignature.header(secret: "key", timestamp: 1, body: Array("{}".utf8)) == "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224")
    }

    /// Sealed credentials open with the same key for the same connection only.
    @Test func sealedCredentialsOpenOnlyForTheirConnectionAndKey() throws {
        let cipher = CredentialCipher.random()
        let sealed = try cipher.seal(SyncCredentials(apiKey: "xkeysib-123"), binding: 7)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("xkeysib"))
        #expect(cipher.openCredentials(sealed, binding: 7) == SyncCredentials(apiKey: "xkeysib-123"))
        #expect(cipher.openCredentials(sealed, binding: 8) == nil)
        #expect(CredentialCipher.random().openCredentials(sealed, binding: 7) == nil)
        #expect(throws: DomainError.self) { try CredentialCipher(keyBytes: [UInt8](repeating: 1, count: 31)) }
    }

    /// Backoff doubles from the base and stops at the cap; a Retry-After is honoured up to its cap.
    @Test func backoffDoublesAndRetryAfterIsHonoured() {
        let policy = SyncRetryPolicy(baseDelay: 1, maxDelay: 10, maxRetryAfter: 60)
        #expect((1...5).map(policy.delay(afterFailures:)) == [1, 2, 4, 8, 10])
        #expect(policy.delay(afterFailures: 10_000) == 10)
        #expect(policy.pause(retryAfter: 30, failures: 1) == 30)
        #expect(policy.pause(retryAfter: 3_600, failures: 1) == 60)
        #expect(policy.pause(retryAfter: nil, failures: 3) == 4)
        #expect(SyncRetryPolicy.parseRetryAfter("120") == 120)
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(SyncRetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(SyncRetryPolicy.parseRetryAfter("soon") == nil)
    }

    /// Answers are classified as the worker needs them.
    @Test func answersAreClassified() {
        #expect(SyncOutcome.classify(status: 201, retryAfter: nil, message: "") == .delivered)
        #expect(SyncOutcome.classify(status: 429, retryAfter: "2", message: "") == .rateLimited(retryAfter: 2))
        #expect(SyncOutcome.classify(status: 401, retryAfter: nil, message: "Key not found") == .unauthorized("HTTP 401: Key not found"))
        #expect(SyncOutcome.classify(status: 400, retryAfter: nil, message: "Invalid phone number") == .rejected("HTTP 400: Invalid phone number"))
        #expect(SyncOutcome.classify(status: 503, retryAfter: nil, message: "") == .serverError("HTTP 503"))
    }

    /// The budget's window is the UTC day; the next one opens at midnight.
    @Test func theBudgetWindowIsTheUTCDay() {
        let late = Date(timeIntervalSince1970: 1_796_342_399)  // 2026-12-03T23:59:59Z
        #expect(SyncBudgetWindow.day(of: late) == "2026-12-03")
        #expect(SyncBudgetWindow.day(of: late.addingTimeInterval(1)) == "2026-12-04")
        #expect(SyncBudgetWindow.nextWindow(after: late) == late.addingTimeInterval(1))
    }

    /// One account list : one remote list, both ways; Brevo lists are numeric ids.
    @Test func listMappingsAreOneToOne() throws {
        func draft(_ lists: [SyncListPair], provider: String = "brevo") throws -> SyncConnectionDraft {
            try SyncConnectionDraft(name: "B", provider: provider, direction: nil, endpoint: provider == "webhook" ? "https://hooks.example.com/e" : nil, lists: lists, fields: nil, intervalMinutes: nil, dailyBudget: nil)
        }
        #expect(try draft([SyncListPair(listID: 2, remoteList: "17"), SyncListPair(listID: 1, remoteList: "18")]).lists.map(\.listID) == [1, 2])
        #expect(throws: DomainError.duplicate(field: "lists[1].remote_list", message: "Remote list '17' is mapped twice; a remote list takes one account list.")) {
            try draft([SyncListPair(listID: 1, remoteList: "17"), SyncListPair(listID: 2, remoteList: "17")])
        }
        #expect(throws: DomainError.self) { try draft([SyncListPair(listID: 1, remoteList: "17"), SyncListPair(listID: 1, remoteList: "18")]) }
        #expect(throws: DomainError.self) { try draft([SyncListPair(listID: 1, remoteList: "newsletter")]) }
        #expect(try draft([SyncListPair(listID: 1, remoteList: "newsletter")], provider: "webhook").provider == .webhook)
        #expect(throws: DomainError.self) { try draft([]) }
        #expect(try draft((1...50).map { SyncListPair(listID: Int64($0), remoteList: String($0)) }).lists.count == 50)
        #expect(throws: DomainError.self) { try draft((1...51).map { SyncListPair(listID: Int64($0), remoteList: String($0)) }) }
    }

    /// An erased or deleted contact is sent as DELETED everywhere, off every list, at its placeholder address.
    @Test func anErasedContactIsSentAsDeleted() {
        let lists = [SyncListPair(listID: 2, remoteList: "17")]
        let fields = [SyncFieldPair(field: "first_name", attribute: "FIRSTNAME"), SyncFieldPair(field: "3", attribute: "GOAL")]
        let live = SyncContactState.make(
            contactID: 5, source: .init(email: "a@example.com", firstName: "Ann", lastName: "", phone: "", erased: false, fieldValues: [3: "Run"], listStatuses: [2: 1]),
            lists: lists, fields: fields
        )
        #expect(live.attributes == ["FIRSTNAME": "Ann", "GOAL": "Run"])
        #expect(live.lists == ["17": true])
        #expect(live.worthSending(remoteEmail: nil))
        let deleted = SyncContactState.make(contactID: 5, source: nil, lists: lists, fields: fields)
        #expect(deleted.email == "deleted-5@erased.invalid")
        #expect(deleted.attributes == ["FIRSTNAME": "DELETED", "GOAL": "DELETED"])
        #expect(deleted.lists == ["17": false])
        #expect(!deleted.worthSending(remoteEmail: nil), "a contact the remote never knew is not created to be erased")
        #expect(deleted.worthSending(remoteEmail: "a@example.com"))
        #expect(live.digest != deleted.digest)
    }

    /// Brevo gets POST with updateEnabled for a contact it has never seen, PUT to the address it knows
    /// otherwise, with the new address as EMAIL, lists to leave as unlinkListIds.
    @Test func brevoRequestsFollowItsReference() {
        let state = SyncContactState(contactID: 1, email: "new@example.com", erased: false, attributes: ["FIRSTNAME": "Ann"], lists: ["17": true, "18": false])
        let create = BrevoRequests.upsert(state, remoteEmail: nil, baseURL: "https://api.brevo.com", apiKey: "k")
        #expect(create.method == "POST" && create.url == "https://api.brevo.com/v3/contacts")
        #expect(create.headers["api-key"] == "k")
        #expect(String(decoding: create.body ?? [], as: UTF8.self) == #"{"attributes":{"FIRSTNAME":"Ann"},"email":"new@example.com","listIds":[17],"updateEnabled":true}"#)
        let update = BrevoRequests.upsert(state, remoteEmail: "old+tag@example.com", baseURL: "https://api.brevo.com", apiKey: "k")
        #expect(update.method == "PUT" && update.url == "https://api.brevo.com/v3/contacts/old%2Btag%40example.com")
        #expect(String(decoding: update.body ?? [], as: UTF8.self) == #"{"attributes":{"EMAIL":"new@example.com","FIRSTNAME":"Ann"},"listIds":[17],"unlinkListIds":[18]}"#)
        #expect(BrevoRequests.attributeNames(from: Array(#"{"attributes":[{"name":"FIRSTNAME"},{"name":"SMS"}]}"#.utf8)) == ["FIRSTNAME", "SMS"])
        #expect(BrevoRequests.message(from: Array(#"{"code":"invalid_parameter","message":"Invalid phone number"}"#.utf8)) == "Invalid phone number")
    }

    /// Inbound events: Brevo's unsubscribe and list addition, our own subscribe; other Brevo events are ignored.
    @Test func inboundEventsAreRead() throws {
        let unsubscribe = try #require(try InboundSyncEvent.brevo(Array(#"{"event":"unsubscribed","email":"a@example.com","list_id":[17,18]}"#.utf8)))
        #expect(unsubscribe.subscribed == false && unsubscribe.remoteLists == ["17", "18"])
        let same = try #require(try InboundSyncEvent.brevo(Array(#"{ "list_id":[17,18], "email":"a@example.com", "event":"unsubscribed" }"#.utf8)))
        #expect(same.key == unsubscribe.key, "the same event, however it is spaced, is recognised")
        #expect(try InboundSyncEvent.brevo(Array(#"{"event":"opened","email":"a@example.com"}"#.utf8)) == nil)
        let own = try InboundSyncEvent.webhook(Array(#"{"id":"e1","type":"subscribe","email":"a@example.com","lists":["news"]}"#.utf8))
        #expect(own == InboundSyncEvent(key: "webhook:e1", email: "a@example.com", subscribed: true, remoteLists: ["news"]))
        #expect(throws: DomainError.self) { try InboundSyncEvent.webhook(Array(#"{"type":"subscribe","email":"a@example.com"}"#.utf8)) }
    }

    /// The interval is 0 to 10,080 minutes and the field mapping at most 100 pairs: both ends taken, one past refused.
    @Test func intervalAndFieldLimitsHoldOnBothSides() throws {
        func draft(interval: Int? = nil, fields: [SyncFieldPair]? = nil) throws -> SyncConnectionDraft {
            try SyncConnectionDraft(
                name: "B", provider: "webhook", direction: "two_way", endpoint: "https://hooks.example.com/e",
                lists: [SyncListPair(listID: 1, remoteList: "news")], fields: fields, intervalMinutes: interval, dailyBudget: nil
            )
        }
        #expect(try draft(interval: 0).intervalMinutes == 0)
        #expect(try draft(interval: 10_080).intervalMinutes == 10_080)
        #expect(throws: DomainError.self) { try draft(interval: -1) }
        #expect(throws: DomainError.self) { try draft(interval: 10_081) }
        let hundred = (1...100).map { SyncFieldPair(field: String($0), attribute: "A\($0)") }
        #expect(try draft(fields: hundred).fields.count == 100)
        #expect(throws: DomainError.self) { try draft(fields: hundred + [SyncFieldPair(field: "first_name", attribute: "B")]) }
        #expect(throws: DomainError.self) { try draft(fields: [SyncFieldPair(field: "email", attribute: "E")]) }
        #expect(throws: DomainError.self) { try draft(fields: [SyncFieldPair(field: "first_name", attribute: "EMAIL")]) }
        #expect(try draft().direction == .twoWay)
    }
}
