"""What the public directory tests share: building organisations with their
taxonomies, reading the page back (result names, facet counts, the map's table),
and the real territory catalogue for the map and page-weight tests.

Plain functions, plus one module-scoped fixture that a test module imports
explicitly (no conftest, so nothing collides with other helpers' files).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from polo.directory.models import Language, Organization, Population, Theme
from polo.territory import maps
from polo.territory.models import Municipality
from tests import factories as f


def organization(
    name: str,
    *,
    municipality: Municipality,
    themes: Iterable[Theme] = (),
    populations: Iterable[Population] = (),
    languages: Iterable[Language] = (),
    **fields,
) -> Organization:
    """A published organisation (unless told otherwise) with its taxonomies and
    its search fields refreshed, as the editing services leave it."""
    org = f.OrganizationFactory(name=name, municipality=municipality, **fields)
    themes = list(themes)
    if themes:
        org.themes.set(themes)
    if populations:
        org.populations.set(list(populations))
    if languages:
        org.languages.set(list(languages))
    if themes:
        org.refresh_search_fields()
        org.save()
    return org


def result_names(content: bytes | str) -> list[str]:
    """The organisation names in the result list, in order."""
    text = content.decode() if isinstance(content, bytes) else content
    body = text.split('class="stack result-list"', 1)
    if len(body) < 2:
        return []
    listing = body[1].split("</ol>", 1)[0]
    return [
        html_lib.unescape(name)
        for name in re.findall(r'<h3><a href="/directorio/organizaciones/\d+/">(.*?)</a>', listing)
    ]


_FACET_ITEM = re.compile(
    r'<input type="checkbox" id="[^"]*" name="(?P<name>[a-z]+)" value="(?P<value>[^"]*)" '
    r'form="directory-form"(?P<checked> checked)?>.*?'
    r'<a class="facet-count" href="(?P<url>[^"]*)"[^>]*>(?P<count>[\d,]+)</a>',
    re.S,
)


def facet_counts(content: bytes | str, name: str) -> dict[str, int]:
    """value -> count shown in one facet."""
    return {value: count for value, (count, _checked, _url) in facet_items(content, name).items()}


def facet_items(content: bytes | str, name: str) -> dict[str, tuple[int, bool, str]]:
    """value -> (count, checked, toggle URL) for one facet."""
    text = content.decode() if isinstance(content, bytes) else content
    return {
        html_lib.unescape(m["value"]): (
            int(m["count"].replace(",", "")),
            bool(m["checked"]),
            html_lib.unescape(m["url"]),
        )
        for m in _FACET_ITEM.finditer(text)
        if m["name"] == name
    }


def heading_count(content: bytes | str) -> int:
    """The number in the results heading ("12 organizaciones encontradas")."""
    text = content.decode() if isinstance(content, bytes) else content
    match = re.search(r'<h2 id="resultados-titulo">([\d,]+) organizaci', text)
    assert match, "no results heading"
    return int(match.group(1).replace(",", ""))


def map_table(content: bytes | str) -> dict[str, int]:
    """Municipality name -> count, from the map page's table."""
    text = content.decode() if isinstance(content, bytes) else content
    return {
        html_lib.unescape(name): int(count.replace(",", ""))
        for name, count in re.findall(
            r'<tr><th scope="row"><a href="[^"]*">(.*?)</a></th><td>[^<]*</td>'
            r'<td class="num">([\d,]+)</td></tr>',
            text,
        )
    }


def svg_of(content: bytes | str) -> str:
    text = content.decode() if isinstance(content, bytes) else content
    match = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg.*?</svg>', text, re.S
    )
    return match.group(0) if match else ""


@pytest.fixture(scope="module")
def real_territory(django_db_setup, django_db_blocker):
    """The real INEGI catalogue (boundaries of Oaxaca, Puebla and Guerrero),
    loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    maps.invalidate_cache()
