"""The page budget: what a page costs a phone on a weak connection.

Every page must stay at or under 100 KB transferred (HTML and the assets it
loads, gzip-compressed) with at most 4 asset requests, all served by Polo.
The suite checks the public pages with this; `make bench` can print it.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

MAX_BYTES = 100 * 1024
MAX_ASSETS = 4


def gzip_size(data: bytes) -> int:
    # Level 6: what Django's GZipMiddleware and most servers use.
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class _AssetFinder(HTMLParser):
    """Collects what a browser would fetch on load: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        rel = set(attr.get("rel", "").lower().split())
        if tag == "link" and rel & {"stylesheet", "preload", "modulepreload", "icon"}:
            url = attr.get("href", "")
        elif tag in {"script", "img", "iframe", "source", "video", "audio", "embed"}:
            url = attr.get("src", "")
        elif tag == "object":
            url = attr.get("data", "")
        else:
            return
        if url and not url.startswith("data:"):
            self.urls.append(url)


@dataclass
class PageWeight:
    html_bytes: int
    assets: dict[str, int] = field(default_factory=dict)  # URL -> gzip size
    external: list[str] = field(default_factory=list)  # assets from another origin
    missing: list[str] = field(default_factory=list)  # local URLs no finder knows

    @property
    def total_bytes(self) -> int:
        return self.html_bytes + sum(self.assets.values())

    @property
    def asset_requests(self) -> int:
        return len(self.assets) + len(self.external) + len(self.missing)

    def problems(self, max_bytes: int = MAX_BYTES, max_assets: int = MAX_ASSETS) -> list[str]:
        found = []
        if self.total_bytes > max_bytes:
            found.append(f"{self.total_bytes} bytes gzipped, over the budget of {max_bytes}")
        if self.asset_requests > max_assets:
            found.append(f"{self.asset_requests} asset requests, over the budget of {max_assets}")
        found += [f"external asset (no CDN): {url}" for url in self.external]
        found += [f"asset not found in static files: {url}" for url in self.missing]
        return found


def weigh_page(html: bytes) -> PageWeight:
    """Weigh a page and the assets it references, read through the static finders."""
    parser = _AssetFinder()
    parser.feed(html.decode("utf-8", errors="replace"))
    weight = PageWeight(html_bytes=gzip_size(html))
    for url in dict.fromkeys(parser.urls):  # a URL referenced twice is fetched once
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            weight.external.append(url)
            continue
        if not parts.path.startswith(settings.STATIC_URL):
            weight.missing.append(url)
            continue
        path = finders.find(parts.path.removeprefix(settings.STATIC_URL))
        if not path:
            weight.missing.append(url)
            continue
        with open(path, "rb") as fh:
            weight.assets[url] = gzip_size(fh.read())
    return weight
