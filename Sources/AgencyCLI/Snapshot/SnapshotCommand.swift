import ArgumentParser

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Immutable copies of a sandbox, to make client accounts from.",
        discussion: """
            Examples:
              $ agency snapshot create 1 --name "Fitness v1"
              $ agency snapshot list
              $ agency account create "Northside Gym" --snapshot 1 --kind paid
              $ agency snapshot diff 1 2
              $ agency snapshot push 2 --dry-run
            """,
        subcommands: [CreateSnapshot.self, ListSnapshots.self, ShowSnapshot.self, DeleteSnapshot.self, VerifySnapshot.self, DiffSnapshots.self, PushSnapshot.self]
    )
}
