"""Builders for the feed tests: fixture feeds made from the corpora (a machine-translated article
that must fail the gate, clean English articles that must pass) served by :mod:`feedserver`."""

from __future__ import annotations

import html
import json
from pathlib import Path

from .feedserver import FeedServer

CORPORA = Path(__file__).resolve().parents[2] / "corpora"
MT = CORPORA / "mt" / "es-en"
CLEAN = CORPORA / "clean" / "en"


def article(path: Path) -> tuple[str, str]:
    """(headline, body) of a corpus article: the first line is the headline."""
    text = path.read_text(encoding="utf-8").strip()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def html_body(body: str) -> str:
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())


def rss(items: list[dict], *, title: str = "Test news", lang: str | None = "en", extra_ns: str = "",
        prolog: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> str:
    """An RSS 2.0 feed. Item keys: title, link, guid, date, body (HTML), summary."""
    out = [prolog, f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"{extra_ns}>',
           f"<channel><title>{html.escape(title)}</title><link>http://example.org/</link>",
           "<description>fixture</description>"]
    if lang:
        out.append(f"<language>{lang}</language>")
    for it in items:
        out.append("<item>")
        out.append(f"<title>{html.escape(it['title'])}</title>")
        if it.get("link"):
            out.append(f"<link>{html.escape(it['link'])}</link>")
        if it.get("guid"):
            out.append(f'<guid isPermaLink="false">{html.escape(it["guid"])}</guid>')
        if it.get("date"):
            out.append(f"<pubDate>{it['date']}</pubDate>")
        if it.get("summary"):
            out.append(f"<description>{html.escape(it['summary'])}</description>")
        if it.get("body"):
            out.append(f"<content:encoded><![CDATA[{it['body']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>\n")
    return "".join(out)


def corpus_items(server: FeedServer, paths: list[Path], prefix: str = "a") -> list[dict]:
    items = []
    for n, p in enumerate(paths, 1):
        title, body = article(p)
        link = server.url(f"articles/{p.stem}.html")
        server.add(f"articles/{p.stem}.html", _page(title, body), "text/html; charset=utf-8")
        items.append({"title": title, "link": link, "guid": f"{prefix}-{p.stem}",
                      "date": f"Mon, {n:02d} Sep 2025 08:00:00 GMT", "body": html_body(body)})
    return items


def _page(title: str, body: str) -> str:
    """An article page with site chrome around the article, as news sites serve them."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>" + html.escape(title) + " | Daily</title></head>"
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        "<main><article><h1>" + html.escape(title) + "</h1>" + html_body(body) + "</article></main>"
        "<footer>© Daily News. All rights reserved.</footer></body></html>"
    )


BAD = MT / "000_seed.txt"
GOOD = [CLEAN / "002_kyiv.txt", CLEAN / "001_harbour.txt"]


def build_fixtures(server: FeedServer) -> None:
    """Register every fixture feed on the server."""
    mixed = corpus_items(server, [BAD, *GOOD])
    server.add("feed.xml", rss(mixed))
    server.add("clean.xml", rss(corpus_items(server, GOOD, prefix="c")))
    server.add("feed.gz.xml", rss(corpus_items(server, GOOD, prefix="z")))

    # Atom 1.0 with xml:lang, JSON Feed 1.1, RSS 1.0 (RDF), RSS 0.91 with its DOCTYPE.
    t, b = article(GOOD[0])
    server.add("atom.xml", (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
        "<title>Atom news</title><id>urn:atom</id><updated>2025-09-01T00:00:00Z</updated>"
        f"<entry><title>{html.escape(t)}</title><id>urn:atom:1</id><link href='/articles/atom-1.html'/>"
        f"<updated>2025-09-01T10:00:00Z</updated><content type='html'>{html.escape(html_body(b))}</content></entry>"
        "</feed>"), "application/atom+xml")
    server.add("feed.json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "language": "en",
        "items": [{"id": "j1", "url": server.url("articles/j1.html"), "title": t, "content_html": html_body(b),
                   "date_published": "2025-09-01T10:00:00+02:00"}],
    }), "application/feed+json")
    server.add("rss1.rdf", (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="http://example.org/"><title>RDF news</title><link>http://example.org/</link>'
        '<description>d</description><dc:language>en</dc:language></channel>'
        f'<item rdf:about="http://example.org/r1"><title>{html.escape(t)}</title><link>http://example.org/r1</link>'
        f"<description>{html.escape(b)}</description><dc:date>2025-09-01T10:00:00Z</dc:date></item></rdf:RDF>"),
        "application/rdf+xml")
    server.add("rss091.xml", (
        '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        f'"{server.url("secret")}">\n<rss version="0.91"><channel><title>Old</title><language>en</language>'
        f"<link>http://example.org/</link><description>d</description><item><title>{html.escape(t)}</title>"
        f"<link>http://example.org/o1</link><description>{html.escape(b)}</description></item></channel></rss>"))

    # Hostile and broken feeds.
    server.add("bomb.xml", (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
        + ']>\n<rss version="2.0"><channel><title>&j;</title><item><title>&j;</title><description>&j;</description>'
        "</item></channel></rss>"))
    server.add("xxe.xml", (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "{server.url("secret")}">'
        '<!ENTITY passwd SYSTEM "file:///etc/passwd">]>\n<rss version="2.0"><channel><title>x</title>'
        "<item><title>&secret;</title><description>&passwd;</description></item></channel></rss>"))
    server.add("xxe-param.xml", (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{server.url("secret")}"> %remote;]>\n'
        '<rss version="2.0"><channel><title>x</title><item><title>t</title></item></channel></rss>'))
    broken = rss(corpus_items(server, GOOD, prefix="b"))
    # An unescaped ampersand and a stray tag: ill-formed, yet both items are recoverable.
    broken = broken.replace("<title>Test news</title>", "<title>News & views</title><br>", 1)
    server.add("broken.xml", broken)
    server.add("latin1.xml", rss([{"title": "Café con leche en Kyiv", "guid": "l1", "link": "http://example.org/l1",
                                   "summary": "Residents queued for café and water on Saturday morning, officials "
                                              "said, as engineers worked to restore the supply."}]).encode("latin-1"))
    dup = corpus_items(server, GOOD, prefix="d")
    for it in dup:
        it.pop("date")
    dup.append(dict(dup[0]))  # the same item twice
    changed = dict(dup[1])
    changed["body"] = changed["body"] + "<p>Update: the water supply was restored on Sunday.</p>"
    dup.append(changed)  # the same guid with different content
    server.add("dupes.xml", rss(dup))
    server.add("notafeed.xml", "<html><body><p>This is a web page, not a feed.</p></body></html>", "text/html")

    # Content that must stay inert in the HTML report.
    server.add("hostile-content.xml", rss([{
        "title": "<script>document.title='pwned'</script> Kyiv \"report\"", "guid": "h1",
        "link": "javascript:alert(1)",
        "body": f"<p>Officials said<img src='{server.url('secret')}'> the \"water\" supply is safe"
                "<script>alert(2)</script> and repairs continue across the city this week.</p>",
    }]))

    # Items whose linked pages work, 404 or stall: --fetch-articles.
    fetch_items = corpus_items(server, GOOD[:1], prefix="f")
    fetch_items.append({"title": "Page that is gone", "link": server.url("missing"), "guid": "f-missing",
                        "summary": "The page behind this item returns 404."})
    server.add("links.xml", rss(fetch_items))
