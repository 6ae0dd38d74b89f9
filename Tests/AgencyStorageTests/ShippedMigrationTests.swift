import AgencyDomain
import Foundation
import Testing

/// A migration that has shipped is never edited: a database made with the old text would never get
/// the new one. Each file's SHA-256 is pinned here; a change to the schema is a new file.
///
/// `0003_snapshots.sql` was edited once, 20 minutes after it was first committed and within the same
/// line of work, before any landing: no database made with its first text exists outside a developer's
/// machine, so no migration brings one forward.
@Suite("Shipped migrations")
struct ShippedMigrationTests {
    static let pinned: [String: String] = [
        "0001_foundation.sql": "87281ac3d3010124d8bc2227401ebae6b8a7c4957e0367ba7fa49185e9d62b28",
        "0002_assets.sql": "dfec6e14ec3397488978d656e2d91c743f27799fc5569cb955d3ab0aebd4f4c4",
        "0003_snapshots.sql": "8e259498467e40266e9fbfd46f79918d2bde59779e2a5004e070173344475cf2",
        "0004_asset_identity_index.sql": "3d1bc8e9e2309dc9727d8ab324d17d2d3392be090edf95e6f350403fff88fa87",
        "0005_shared_asset_bodies.sql": "7323e7d0b6e78b6bf1bccaa7879e7559d6548d0c461df48795c1ce8f40a256ea",
        "0006_account_bases.sql": "050d2b922b75ab74950301f17a69582a152ba8c3b96d88a23409e760f7b65f63",
        "0007_drop_unused_name_index.sql": "c01f89034e57484f540a4986c6dfe34a163ad47afb65fc2c622743469976390c",
        "0008_contacts_in_and_out.sql": "b899d1a638aa2734974c843a745b9903805ed2c379a6690fdba61f95ec1f9c7d",
        "0009_reports.sql": "9d8683028433cef12d58f2d6374b7ca74042a40effacb6f319e154844efd8d54",
        "0010_webhooks.sql": "831c18f04abe620e137ede25e35295936378868475c981b05ee7c84d4e26a6cb",
        "0011_contact_sync.sql": "a165a93b779c920b491ea5130e78f536125cecd6aeb9bafe2cc63b5bda35932a",
        "0012_dashboard_sessions.sql": "5509ddb2ee3a2be1d29fcf6a5bd2463bef6e2d0693388811f3982f37e472f4c1",
        "0013_shared_asset_references.sql": "a3c599dbbf9f0e50b7cabbc125719e3e155b89f87b0c34f880a8ac7a50c3c09b",
        "0014_token_life.sql": "d4434a824393f3f0836be26e5cb28ed72a6345c8b72a56f59a37a01406a43a60",
        "0015_branding_and_domains.sql": "470406b59a9bf0c63e609080ae477ca6a1fbe46b3ac5701f6889bd0e34dbaa13",
    ]

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations/sql")

    /// Every file is pinned (a new migration gets its line here), and every pinned file is unchanged.
    @Test func everyMigrationIsPinnedAndUnchanged() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == Self.pinned.keys.sorted())
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            let digest = Secrets.digest(ofToken: text).map { String(format: "%02x", $0) }.joined()
            #expect(digest == Self.pinned[file], "\(file) was edited after it shipped; add a new migration instead")
        }
    }
}
