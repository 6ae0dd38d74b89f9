import AgencyAPI

/// Lines for people, for snapshots as the agency API returns them.
enum SnapshotOutput {
    static func summary(_ snapshot: SnapshotBody) -> String {
        "snapshot \(snapshot.id) \"\(snapshot.name)\" of sandbox \(snapshot.source_account_id), \(snapshot.created_at)"
    }

    static func details(_ snapshot: SnapshotBody) -> [String] {
        let contents = snapshot.contents.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        var lines = [
            "  digest:   \(snapshot.digest)",
            "  contents: " + contents.map { "\($0.value) \($0.key)" }.joined(separator: ", "),
        ]
        let omitted = snapshot.omitted ?? []
        if !omitted.isEmpty {
            lines.append("  left out (\(omitted.count) images, replaced by placeholders):")
            lines += omitted.map { "    \($0.assetKind) \($0.assetID) \($0.location): \($0.source)" }
        }
        return lines
    }
}
