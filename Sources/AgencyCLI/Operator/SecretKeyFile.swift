import AgencyDomain
import AgencyStorage
import Foundation

/// The service's secret key, which seals connection credentials (AES-256-GCM): 32 random bytes in a
/// file beside the database, made on first start with mode 0600. Without it the credentials in the
/// database cannot be opened, so it is backed up with the database, and kept apart from it.
enum SecretKeyFile {
    /// The default place: `<database>.key`.
    static func defaultPath(forDatabase path: String) -> String { path + ".key" }

    /// Reads the key at `path`, making it first when there is none. A key that other users can read is
    /// refused: whoever reads it opens every connection's credentials.
    static func loadOrCreate(at path: String) throws -> (cipher: CredentialCipher, created: Bool) {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            if let permissions = PrivateFile.permissions(atPath: path), permissions & 0o077 != 0 {
                throw CLIError(
                    "The secret key file \(path) can be read by other users (mode \(String(format: "%04o", permissions))); "
                        + "restrict it with: chmod 600 \(path)"
                )
            }
            guard let data = manager.contents(atPath: path) else { throw CLIError("Cannot read the secret key file \(path); check its permissions.") }
            guard data.count == 32, let cipher = try? CredentialCipher(keyBytes: Array(data)) else {
                throw CLIError("The secret key file \(path) is not a key this service made (it must hold exactly 32 bytes).")
            }
            return (cipher, false)
        }
        let bytes = CredentialCipher.newKeyBytes()
        // Made with 0600 by open(2) itself: the key is never readable by others, not even for a moment
        // (FileManager writes a temporary file with the default mode and changes it after the rename).
        do {
            try PrivateFile.create(atPath: path, contents: bytes)
        } catch {
            throw CLIError("Cannot create the secret key file \(path); its folder must be writable, or pass --secret-key-file.")
        }
        guard let cipher = try? CredentialCipher(keyBytes: bytes) else { throw CLIError("Cannot use the new secret key.") }
        return (cipher, true)
    }
}

