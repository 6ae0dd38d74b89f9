import ArgumentParser

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Sandboxes: the agency's workshop accounts (100 contacts, 100 sends).",
        discussion: """
            Examples:
              $ agency sandbox create "Fitness Studio Template"
              $ agency account apply 1 Tests/Fixtures/fitness-studio.bundle.json
            """,
        subcommands: [CreateSandbox.self]
    )
}
