import Foundation

/// The links of an email: every `href="…"` (or `'…'`) of its HTML that goes somewhere on the web,
/// once each, in the order they first appear. Personalisation tags and `mailto:` are not links v3 tracks.
public enum CampaignLinks {
    public static func hrefs(in html: String) -> [String] {
        var links: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: "href=", options: .caseInsensitive) {
            rest = rest[start.upperBound...]
            guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { break }
            let link = String(rest[..<end])
            rest = rest[end...]
            let lower = link.lowercased()
            if (lower.hasPrefix("http://") || lower.hasPrefix("https://")), !links.contains(link) { links.append(link) }
        }
        return links
    }
}
