import AgencyDomain
import Testing

/// Name, first name and email are synced by default; a mapped custom field is sent as well, not instead.
@Suite("Contact sync: the mapping's default")
struct SyncMappingDefaultTests {
    @Test func aCustomFieldAddsToTheNames() {
        let fields = SyncConnectionDraft.requestedFields([SyncFieldPair(field: "2", attribute: "GOAL")], provider: .brevo)
        #expect(fields == [
            SyncFieldPair(field: "2", attribute: "GOAL"),
            SyncFieldPair(field: "first_name", attribute: "FIRSTNAME"), SyncFieldPair(field: "last_name", attribute: "LASTNAME"),
        ])
        #expect(SyncConnectionDraft.requestedFields([], provider: .brevo) == [], "an empty mapping sends the address alone")
    }

    @Test func aNameMappedElsewhereOrLeftOutIsNotAddedAgain() {
        let fields = SyncConnectionDraft.requestedFields(
            [SyncFieldPair(field: "first_name", attribute: "VORNAME"), SyncFieldPair(field: "last_name", attribute: "")], provider: .brevo
        )
        #expect(fields == [SyncFieldPair(field: "first_name", attribute: "VORNAME")])
        let webhook = SyncConnectionDraft.requestedFields([SyncFieldPair(field: "phone", attribute: "first_name")], provider: .webhook)
        #expect(webhook == [SyncFieldPair(field: "phone", attribute: "first_name"), SyncFieldPair(field: "last_name", attribute: "last_name")],
                "a default attribute already taken is not mapped twice")
    }
}
