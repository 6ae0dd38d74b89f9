import AgencyAPI

/// How an update report reads in a terminal: one line of counts, then one line per asset.
enum UpdateOutput {
    static func counts(_ report: UpdateReportBody) -> String {
        let counts = ["applied", "kept", "conflicts", "created", "removed"].map { "\(report.counts[$0] ?? 0) \($0)" }
        return counts.joined(separator: ", ")
    }

    static func lines(_ report: UpdateReportBody) -> [String] {
        func line(_ label: String, _ item: UpdateItemBody) -> String {
            let fields = item.pointers.isEmpty ? "" : " " + item.pointers.joined(separator: ", ")
            return "  \(label) \(item.kind) \(item.id) \"\(item.name)\"\(fields)" + (item.reason.map { " (\($0))" } ?? "")
        }
        var lines = report.applied.map { line("applied ", $0) }
        lines += report.created.map { line("created ", $0) }
        lines += report.removed.map { line("removed ", $0) }
        lines += report.kept.map { line("kept    ", $0) }
        lines += report.conflicts.map { conflict in
            let fields = conflict.fields.map(\.pointer).filter { !$0.isEmpty }.joined(separator: ", ")
            let side = conflict.resolution == "keep_client" ? "client's version kept" : "snapshot's version taken"
            return "  conflict \(conflict.kind) \(conflict.id) \"\(conflict.name)\" \(fields)" + " (\(conflict.reason.map { $0 + "; " } ?? "")\(side))"
        }
        lines += report.omitted.map { "  upload  \($0.assetKind) \($0.assetID) \($0.location): \($0.source)" }
        return lines
    }
}
