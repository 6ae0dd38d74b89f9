import Crypto
import Foundation

/// The `Signature` header of outbound webhook events and inbound webhook-provider events, in the way
/// Stripe signs its webhooks: `t=TIMESTAMP,v1=HEX(HMAC-SHA256(secret, "TIMESTAMP.BODY"))`. The
/// timestamp is inside the signed text, so an old request cannot be replayed with a new time.
public enum SyncSignature {
    /// How far a signed timestamp may be from now, in seconds, before the request is refused.
    public static let tolerance: TimeInterval = 300

    public static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "t=\(timestamp),v1=\(hex(mac(secret: secret, timestamp: timestamp, body: body)))"
    }

    /// True when `header` carries a `v1` signature of `body` under `secret` with a timestamp within
    /// `tolerance` of `now`. Compared in constant time.
    public static func verify(header: String, secret: String, body: [UInt8], now: Date) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(hex(mac(secret: secret, timestamp: timestamp, body: body)).utf8)
        return signatures.contains { Secrets.constantTimeEquals(Array($0.utf8), expected) }
    }

    static func mac(secret: String, timestamp: Int, body: [UInt8]) -> [UInt8] {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
