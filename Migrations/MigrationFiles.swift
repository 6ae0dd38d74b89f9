import Foundation

/// The schema as numbered SQL files (`sql/NNNN_name.sql`), the one source of truth.
/// Files are applied in name order and never edited once shipped.
public enum MigrationFiles {
    /// Every migration as (name, SQL), in the order they apply.
    public static func all() throws -> [(name: String, sql: String)] {
        let paths = Bundle.module.paths(forResourcesOfType: "sql", inDirectory: "sql")
        return try paths.sorted().map { path in
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return (name, try String(contentsOfFile: path, encoding: .utf8))
        }
    }
}
