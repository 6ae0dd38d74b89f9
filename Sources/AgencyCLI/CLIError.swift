import AgencyDomain
import AgencyStorage
import Foundation

/// A failure shown to the user as one line, with a non-zero exit.
public struct CLIError: Error, CustomStringConvertible, LocalizedError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

extension CLIError {
    /// The one place where an error becomes the line a person reads; nil for ArgumentParser's own
    /// (usage errors, help, version), which it prints itself.
    public static func line(for error: any Error) -> String? {
        switch error {
        case let error as CLIError: error.description
        case let error as DomainError: error.message
        case let error as CannotOpenDatabase: error.description
        default: nil
        }
    }
}
