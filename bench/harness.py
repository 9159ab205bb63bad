"""Measuring tools shared by the benchmark modules: pages, operations, tables."""

from __future__ import annotations

import gzip
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

BUDGET_BYTES = 100 * 1024  # every page at most 100 KB transferred (gzip)
BUDGET_ASSETS = 4  # and at most 4 asset requests


@dataclass(frozen=True)
class Page:
    """A page to measure: its URL, and whose session requests it (None: a visitor)."""

    name: str
    url: str
    user: str | None = None
    status: int = 200


@dataclass(frozen=True)
class Operation:
    """Something timed as a whole (a command, a service call), run ``repeat`` times."""

    name: str
    run: Callable[[], Any]
    repeat: int = 1


@dataclass
class Context:
    """What a benchmark module may use: the scale measured and how many requests.

    ``measure_page`` measures one more page as ``pages()`` would (its row joins
    the pages table) and returns its result, for a module that wants the figures
    themselves (see ``sections``). ``quick`` is set by ``--quick``.
    """

    scale: str
    requests: int
    warmup: int
    notes: list[str] = field(default_factory=list)
    measure_page: Callable[[Page], PageResult] | None = None
    quick: bool = False


@dataclass
class Section:
    """A module's own figures, printed after the tables and kept in results.json:
    returned by ``sections(ctx) -> list[Section]`` in a benchmark module."""

    title: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class PageResult:
    scale: str
    name: str
    url: str
    status: int
    times_ms: list[float]
    queries: int
    html_bytes: int
    html_gzip_bytes: int
    asset_count: int
    asset_gzip_bytes: int

    @property
    def transferred(self) -> int:
        return self.html_gzip_bytes + self.asset_gzip_bytes

    def stats(self) -> dict[str, float]:
        return summarize(self.times_ms)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "name": self.name,
            "url": self.url,
            "status": self.status,
            "queries": self.queries,
            "html_bytes": self.html_bytes,
            "html_gzip_bytes": self.html_gzip_bytes,
            "asset_count": self.asset_count,
            "asset_gzip_bytes": self.asset_gzip_bytes,
            "transferred_bytes": self.transferred,
            "server_ms": self.stats(),
        }


@dataclass
class OperationResult:
    scale: str
    name: str
    times_s: list[float]

    def as_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "name": self.name, "seconds": self.times_s}


def summarize(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    # p95 by nearest rank: with 100 requests, the 95th slowest.
    p95 = ordered[max(0, min(len(ordered) - 1, round(0.95 * len(ordered)) - 1))]
    return {
        "median": statistics.median(ordered),
        "p95": p95,
        "min": ordered[0],
        "max": ordered[-1],
        "stdev": statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
        "n": len(ordered),
    }


class _AssetParser(HTMLParser):
    """Collects the URLs a browser would request to render the page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        url = None
        if tag == "link" and {"stylesheet", "icon", "preload", "modulepreload"} & set(
            (attributes.get("rel") or "").split()
        ):
            url = attributes.get("href")
        elif tag in {"script", "img", "source", "video", "audio", "iframe"}:
            url = attributes.get("src")
        if url and not url.startswith(("data:", "#")) and url not in self.urls:
            self.urls.append(url)


def asset_urls(html: str) -> list[str]:
    parser = _AssetParser()
    parser.feed(html)
    return parser.urls


def measure_page(
    page: Page,
    ctx: Context,
    *,
    client_for: Callable,
    asset_bytes: Callable,
    capture_queries: Callable,
) -> PageResult:
    """Server time through the in-process test client, after warm-up; size as sent."""
    client = client_for(page.user)
    headers = {"HTTP_ACCEPT_ENCODING": "gzip"}
    for _ in range(ctx.warmup):
        client.get(page.url, **headers)
    times = []
    for _ in range(ctx.requests):
        started = time.perf_counter()
        response = client.get(page.url, **headers)
        times.append((time.perf_counter() - started) * 1000)
    with capture_queries() as queries:
        response = client.get(page.url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # What travels: the gzip body when the server compressed it, else the body as is.
    gzipped = body
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    html = body.decode(response.charset or "utf-8", errors="replace")
    is_html = "html" in response.get("Content-Type", "")
    urls = asset_urls(html) if is_html else []
    return PageResult(
        scale=ctx.scale,
        name=page.name,
        url=page.url,
        status=response.status_code,
        times_ms=times,
        queries=len(queries.captured_queries),
        html_bytes=len(body),
        html_gzip_bytes=len(gzipped),
        asset_count=len(urls),
        asset_gzip_bytes=sum(len(gzip.compress(asset_bytes(url, client))) for url in urls),
    )


def time_operation(operation: Operation, scale: str) -> OperationResult:
    times = []
    for _ in range(operation.repeat):
        started = time.perf_counter()
        operation.run()
        times.append(time.perf_counter() - started)
    return OperationResult(scale=scale, name=operation.name, times_s=times)


def table(headers: list[str], rows: list[list[str]], title: str) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    # Numbers right-aligned, text left-aligned.
    numeric = [
        all(re.fullmatch(r"[-\d.,]+( \w+)?|—", r[i] or "—") for r in rows)
        for i in range(len(headers))
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    out = [title, line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"
