import AgencyDomain
import Testing

@Suite("Snapshot digest")
struct SnapshotDigestTests {
    /// Known answers, computed independently (Python's hashlib): anyone can recompute a digest.
    @Test func matchesTheDocumentedDefinition() {
        let tag = SnapshotDigest.Entry(kind: "tag", id: 1, body: #"{"tag":"VIP"}"#)
        #expect(SnapshotDigest.hex(tag.hash) == "a053bd1e707fbde9f9f93a49e44da8a327b8727d7f71afbffb64c449a958b8c1")
        let template = SnapshotDigest.Entry(kind: "template", id: 2, body: "{}")
        // Order of the entries does not matter: lines are sorted by (kind, id).
        let expected = "sha256:69f55445ab94ed2a90e1d05711d32726b72e759013af00f9b95d7483a950f860"
        #expect(SnapshotDigest.of([tag, template]) == expected)
        #expect(SnapshotDigest.of([template, tag]) == expected)
        #expect(SnapshotDigest.hex([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
    }

    /// The same body under another kind hashes differently.
    @Test func kindIsPartOfTheHash() {
        #expect(SnapshotDigest.hash(kind: "tag", body: "{}") != SnapshotDigest.hash(kind: "list", body: "{}"))
    }
}
