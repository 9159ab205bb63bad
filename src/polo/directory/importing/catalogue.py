"""The catalogue rows are matched against, loaded once per file (a few queries):
states, municipalities (by INEGI key or name, with suggestions), regions,
communities, themes, populations and languages."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polo.directory.importing.common import BATCH, _key, _token, msg
from polo.directory.models import Language, Population, Theme
from polo.territory.models import Community, Municipality, Region, State


@dataclass(frozen=True)
class _Municipality:
    id: int
    code: str
    name: str
    state_id: int
    region_id: int | None

    @property
    def label(self) -> str:
        return f"«{self.name}» ({self.code})"


class _Choices:
    """A managed list (themes, populations, languages, regions) by name or slug."""

    def __init__(self, items: Iterable[tuple[int, str, str, str]]) -> None:
        self.by_token: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for pk, slug, name, name_en in items:
            # "Mixteco (tu'un savi)" answers to both of its names.
            inner = " ".join(re.findall(r"\(([^)]*)\)", name))
            outer = re.sub(r"\([^)]*\)", " ", name)
            for word in (slug, name, name_en, inner, outer):
                if word:
                    self.by_token.setdefault(_token(word), pk)
            self.names[_key(name)] = name

    def get(self, value: str) -> int | None:
        return self.by_token.get(_token(value))

    def suggest(self, value: str) -> list[str]:
        close = difflib.get_close_matches(_key(value), list(self.names), n=2, cutoff=0.6)
        return [self.names[key] for key in close]


_STATE_ALIASES = {
    "09": ["cdmx", "df", "distritofederal", "ciudaddemexico"],
    "15": ["estadodemexico", "edomex", "edodemex", "edodemexico"],
}


class Catalogue:
    """Everything rows are matched against, loaded once (a few queries)."""

    def __init__(self) -> None:
        self.states = {s.pk: s for s in State.objects.all()}
        self.state_by_token: dict[str, int] = {}
        for state in self.states.values():
            words = [state.name, state.abbreviation, state.code, str(int(state.code))]
            if " de " in state.name and not state.name.startswith("Ciudad"):
                words.append(state.name.split(" de ")[0])  # "Veracruz", "Michoacán"
            words += _STATE_ALIASES.get(state.code, [])
            for word in words:
                if word:
                    self.state_by_token.setdefault(_token(word), state.pk)
        self.municipalities: dict[int, _Municipality] = {}
        self.by_code: dict[str, _Municipality] = {}
        self.by_name: dict[str, list[_Municipality]] = defaultdict(list)
        rows = Municipality.objects.values_list("id", "code", "name", "state_id", "region_id")
        for row in rows.iterator(chunk_size=5000):
            item = _Municipality(*row)
            self.municipalities[item.id] = item
            self.by_code[item.code] = item
            self.by_name[_key(item.name)].append(item)
        self.regions = _Choices(Region.objects.values_list("id", "slug", "name", "name"))
        self.region_names = dict(Region.objects.values_list("id", "name"))
        self.themes = _Choices(Theme.objects.values_list("id", "slug", "name", "name_en"))
        self.theme_names = dict(Theme.objects.values_list("id", "name"))
        self.populations = _Choices(Population.objects.values_list("id", "slug", "name", "name_en"))
        self.languages = _Choices(Language.objects.values_list("id", "code", "name", "name_en"))
        self.communities: dict[tuple[int, str], int] = {}
        self.community_codes: dict[str, tuple[int, int]] = {}
        self._suggestions: dict[tuple[str, int | None], list[_Municipality]] = {}

    def load_communities(self, municipality_ids: Iterable[int]) -> None:
        ids = sorted(set(municipality_ids))
        for start in range(0, len(ids), BATCH):
            rows = Community.objects.filter(municipality_id__in=ids[start : start + BATCH])
            for pk, municipality_id, name, code in rows.values_list(
                "id", "municipality_id", "name", "code"
            ):
                self.communities.setdefault((municipality_id, _key(name)), pk)
                if code:
                    self.community_codes[code] = (pk, municipality_id)

    def state(self, value: str) -> int | None:
        token = _token(value)
        if token.isdigit():
            token = str(int(token)).zfill(2)
            return next((pk for pk, s in self.states.items() if s.code == token), None)
        return self.state_by_token.get(token)

    def municipality(self, value: str, state_id: int | None) -> tuple[_Municipality | None, str]:
        """The municipality a cell names (INEGI key or name), or None and why not."""
        digits = re.sub(r"[\s.-]", "", value)
        if digits.isdigit():
            if len(digits) <= 3 and state_id is not None:
                digits = self.states[state_id].code + digits.zfill(3)
            elif len(digits) == 4:
                digits = digits.zfill(5)  # Excel dropped the leading zero (01001)
            found = self.by_code.get(digits)
            if found and state_id is not None and found.state_id != state_id:
                return None, msg(
                    "municipality_other_state", value=value, state=self.states[state_id].name
                )
            return found, "" if found else msg("unknown_municipality", value=value)
        name = value
        if state_id is None and "," in value:
            # "Oaxaca de Juárez, Oax.": the state after a comma.
            head, tail = value.rsplit(",", 1)
            if self.state(tail) is not None:
                name, state_id = head, self.state(tail)
        candidates = self.by_name.get(_key(name), [])
        if state_id is not None:
            candidates = [m for m in candidates if m.state_id == state_id]
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            options = ", ".join(
                f"{m.name} ({self.states[m.state_id].name}, {m.code})" for m in candidates[:6]
            )
            key = "ambiguous_in_state" if state_id is not None else "ambiguous_municipality"
            return None, msg(key, value=value, options=options)
        reason = msg("unknown_municipality", value=value)
        close = self.close_municipalities(name, state_id)
        if close:
            options = f" {_('o')} ".join(m.label for m in close)
            reason += " " + msg("did_you_mean", options=options)
        return None, reason

    def close_municipalities(self, name: str, state_id: int | None) -> list[_Municipality]:
        cache_key = (_key(name), state_id)
        if cache_key not in self._suggestions:
            if state_id is not None:
                pool = {
                    _key(m.name): m for m in self.municipalities.values() if m.state_id == state_id
                }
            else:
                pool = {key: items[0] for key, items in self.by_name.items()}
            close = difflib.get_close_matches(cache_key[0], list(pool), n=3, cutoff=0.75)
            self._suggestions[cache_key] = [pool[key] for key in close]
        return self._suggestions[cache_key]
