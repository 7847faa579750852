import Crypto
import Foundation
import Store

/// The HTML documents the page route serves: a full reply, and the one "not found" page for every id that cannot
/// be shown. Both carry a small style sheet inline, allowed by its hash in the content security policy, so the
/// page needs nothing from anywhere else and no other style or any script could apply.
enum ReplyPageDocument {
    /// Readable line length, scrollable code, a dark scheme when the reader's system prefers one.
    static let styleSheet = """
        :root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--code:#f3f5f7;\
        --link:#0969da}\
        @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;\
        --code:#161b22;--link:#4493f8}}\
        body{margin:0;background:var(--bg);color:var(--fg);\
        font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}\
        main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 3rem;overflow-wrap:break-word}\
        .meta{color:var(--muted);font-size:.875rem;border-bottom:1px solid var(--line);padding-bottom:.75rem}\
        a{color:var(--link)}\
        h1,h2,h3,h4,h5,h6{line-height:1.25;margin:1.5rem 0 .75rem}\
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em}\
        code{background:var(--code);padding:.1em .3em;border-radius:4px}\
        pre{background:var(--code);padding:.75rem 1rem;border-radius:6px;overflow-x:auto;line-height:1.45}\
        pre code{background:none;padding:0;font-size:inherit}\
        blockquote{margin:1rem 0;padding:0 1rem;border-left:4px solid var(--line);color:var(--muted)}\
        .table{overflow-x:auto;margin:1rem 0}\
        table{border-collapse:collapse}\
        th,td{border:1px solid var(--line);padding:.35rem .7rem}\
        .left{text-align:left}.center{text-align:center}.right{text-align:right}\
        img{max-width:100%}\
        hr{border:0;border-top:1px solid var(--line);margin:1.5rem 0}
        """

    /// Only the inline style sheet above and HTTPS images may load; no script, frame, form, plugin or base URL.
    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Data(Self.styleSheet.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(digest)'; img-src https:; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'"
    }()

    /// The page for `page`, its Markdown rendered safely.
    static func html(for page: ReplyPage) -> String {
        let body = MarkdownHTMLRenderer().render(page.text)
        return Self.document(
            title: "Full reply",
            body: """
                <p class="meta">Full reply, saved \(Self.utc(page.createdAt)). \
                This page expires \(Self.utc(page.expiresAt)).</p>
                <article>
                \(body)</article>
                """
        )
    }

    /// Said alike for malformed, unknown and expired ids.
    static let notFound = Self.document(
        title: "Reply not found",
        body: """
            <h1>Reply not found</h1>
            <p>This reply page does not exist or has expired.</p>
            """
    )

    /// A whole document around `body`, which is HTML made by this module (never raw model text).
    private static func document(title: StaticString, body: String) -> String {
        """
        <!doctype html>
        <html>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex, nofollow">
        <title>\(title) · goapi-bridge</title>
        <style>\(Self.styleSheet)</style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// `2025-06-15 14:03 UTC`.
    private static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let twoDigits = { (value: Int?) in value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 1970)-\(twoDigits(parts.month))-\(twoDigits(parts.day)) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)) UTC"
    }
}
