import Foundation

/// The body of a webhook's POST, as ActiveCampaign sends it: form fields (`type`, `date_time`,
/// `initiated_from`, `contact[email]`, `list`, `tag`, `campaign[id]`, `link[url]` …), URL-encoded.
public enum WebhookPayload {
    public static func form(
        event: String, dateTime: String, contact: Contact?, subjectID: Int64?, tagName: String?, link: String?
    ) -> String {
        var fields: [(String, String)] = [("type", event), ("date_time", dateTime), ("initiated_from", "api"), ("initiated_by", "api")]
        if let contact {
            fields += [
                ("contact[id]", String(contact.id)), ("contact[email]", contact.email), ("contact[first_name]", contact.firstName),
                ("contact[last_name]", contact.lastName), ("contact[phone]", contact.phone),
            ]
        }
        if let subjectID {
            switch event {
            case "subscribe", "unsubscribe", "list_add": fields.append(("list", String(subjectID)))
            case "contact_tag_added", "contact_tag_removed": fields += [("tag", tagName ?? ""), ("tag_id", String(subjectID))]
            case "sent": fields.append(("send[id]", String(subjectID)))
            default: fields.append(("campaign[id]", String(subjectID)))
            }
        }
        if let link { fields.append(("link[url]", link)) }
        return fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// application/x-www-form-urlencoded: letters, digits and `-._*` stay, space is `+`, the rest `%XX`.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
