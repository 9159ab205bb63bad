"""Writes of the qualitative diagnosis: sessions, the codebook, coding, quotes.

Every function is keyword-only, runs in a transaction and refuses bad input
with a ``ValidationError`` whose message can be shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polo.qualitative.models import Code, Coding, FocusGroup, Passage, normalize_text
from polo.surveys.models import Response

MAX_PASSAGE_LENGTH = 20_000


# --- Sessions ----------------------------------------------------------------------


@transaction.atomic
def focus_group_create(
    *, by, fields: dict[str, Any], languages: Iterable | None = None
) -> FocusGroup:
    focus_group = FocusGroup(created_by=by, **fields)
    focus_group.notes = normalize_text(focus_group.notes)
    focus_group.full_clean()
    focus_group.save()
    if languages is not None:
        focus_group.languages.set(languages)
    return focus_group


@transaction.atomic
def focus_group_update(
    *, focus_group: FocusGroup, by, fields: dict[str, Any], languages: Iterable | None = None
) -> FocusGroup:
    """Save the changes; if the notes changed, find every coded passage again
    (``passages_realign``)."""
    old_notes = FocusGroup.objects.values_list("notes", flat=True).get(pk=focus_group.pk)
    for name, value in fields.items():
        setattr(focus_group, name, value)
    focus_group.notes = normalize_text(focus_group.notes)
    focus_group.full_clean()
    focus_group.save()
    if languages is not None:
        focus_group.languages.set(languages)
    if focus_group.notes != old_notes:
        passages_realign(focus_group)
    return focus_group


def passages_realign(focus_group: FocusGroup) -> int:
    """After the notes changed: a passage whose words are still where they were
    stays; one whose words moved follows them (the occurrence nearest to where
    they were); one whose words are gone keeps its text and is flagged
    ``is_stale`` for the facilitator to look at. Returns how many are stale."""
    notes = focus_group.notes
    stale = 0
    for passage in focus_group.passages.all():
        start, end, is_stale = passage.start, passage.end, False
        if notes[start:end] != passage.text:
            found = _occurrences(notes, passage.text, 0, len(notes))
            if found:
                start = min(found, key=lambda at: abs(at - passage.start))
                end = start + len(passage.text)
            else:
                is_stale = True
        stale += is_stale
        if (start, end, is_stale) != (passage.start, passage.end, passage.is_stale):
            passage.start, passage.end, passage.is_stale = start, end, is_stale
            passage.save(update_fields=["start", "end", "is_stale"])
    return stale


# --- Finding a passage in a text --------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _occurrences(text: str, needle: str, lo: int, hi: int) -> list[int]:
    found, at = [], text.find(needle, lo, hi)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1, hi)
    return found


def locate_passage(
    text: str,
    *,
    passage: str = "",
    within: tuple[int, int] | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Span:
    """Where ``passage`` is in ``text``.

    - No passage: the whole of ``within`` (a paragraph), or of the text.
    - Offsets sent by the browser (a selection) are used when the text there
      is the passage.
    - Otherwise the passage is searched for inside ``within`` (or the whole
      text): exactly first, then with any run of spaces or line breaks
      matching any other (a copy from the page may lose line breaks). It must
      be there once: a passage not found, or found several times, is refused.
    """
    lo, hi = within if within is not None else (0, len(text))
    passage = normalize_text(passage).strip()
    if not passage:
        if hi <= lo:
            raise ValidationError(_("No hay texto que codificar."))
        return Span(lo, hi)
    if len(passage) > MAX_PASSAGE_LENGTH:
        raise ValidationError(
            _("El fragmento es demasiado largo (más de %(n)s caracteres).")
            % {"n": MAX_PASSAGE_LENGTH}
        )
    if (
        start is not None
        and end is not None
        and lo <= start < end <= hi
        and text[start:end] == passage
    ):
        return Span(start, end)
    found = [Span(at, at + len(passage)) for at in _occurrences(text, passage, lo, hi)]
    if not found:
        words = passage.split()
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        found = [Span(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]
    if not found:
        raise ValidationError(
            _(
                "No encontramos ese fragmento en el texto. Cópialo tal como aparece "
                "(puede que el texto haya cambiado)."
            )
        )
    if len(found) > 1:
        raise ValidationError(
            ngettext(
                "El fragmento aparece %(n)d vez en el texto.",
                "El fragmento aparece %(n)d veces en el texto: agrega palabras de "
                "antes o después para que sea único, o usa el formulario del párrafo.",
                len(found),
            )
            % {"n": len(found)}
        )
    return found[0]


# --- Coding ----------------------------------------------------------------------


def _check_codes(codes: Iterable[Code]) -> list[Code]:
    codes = list(codes)
    if not codes:
        raise ValidationError(_("Elige al menos un tema."))
    retired = [code for code in codes if not code.is_active]
    if retired:
        raise ValidationError(
            _("Estos temas ya no están en uso: %(names)s.")
            % {"names": ", ".join(code.name for code in retired)}
        )
    return codes


def _apply_codes(passage: Passage, codes: list[Code], by) -> None:
    have = set(passage.codings.values_list("code_id", flat=True))
    for code in codes:
        if code.pk not in have:
            Coding.objects.create(passage=passage, code=code, coded_by=by)


@transaction.atomic
def passage_code_focus_group(
    *,
    focus_group: FocusGroup,
    by,
    codes: Iterable[Code],
    paragraph: int | None = None,
    passage: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Passage:
    """Code a paragraph of the notes, or an exact passage of them. Coding the
    same stretch again adds the new codes to the passage already there."""
    codes = _check_codes(codes)
    within = None
    if paragraph is not None:
        found = focus_group.paragraphs()
        if not 0 <= paragraph < len(found):
            raise ValidationError(_("Ese párrafo ya no existe: vuelve a cargar la página."))
        within = (found[paragraph].start, found[paragraph].end)
    elif not passage.strip():
        raise ValidationError(_("Copia el fragmento que quieres codificar."))
    span = locate_passage(focus_group.notes, passage=passage, within=within, start=start, end=end)
    return _passage_with_codes(
        {"focus_group": focus_group}, span, focus_group.notes[span.start : span.end], codes, by
    )


def answer_text(response: Response, question: str, row: int = 0) -> str | None:
    """The text of an open answer: a ``text`` question of the response's form,
    answered; None otherwise."""
    node = response.form_version.form.nodes.get(question)
    if node is None or node.kind != "question" or node.type != "text":
        return None
    data = response.data or {}
    if node.repeat is None:
        if row != 0:
            return None
        value = data.get(question)
    else:
        rows = data.get(node.repeat)
        if (
            not isinstance(rows, list)
            or not 1 <= row <= len(rows)
            or not isinstance(rows[row - 1], dict)
        ):
            return None
        value = rows[row - 1].get(question)
    if value in (None, ""):
        return None
    return str(value)


@transaction.atomic
def passage_code_answer(
    *,
    response: Response,
    question: str,
    row: int = 0,
    by,
    codes: Iterable[Code],
    passage: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Passage:
    """Code an open answer of a survey response, whole or a passage of it."""
    codes = _check_codes(codes)
    if response.status in {Response.Status.DRAFT, Response.Status.REJECTED}:
        raise ValidationError(_("Solo se codifican respuestas enviadas y no rechazadas."))
    text = answer_text(response, question, row)
    if text is None:
        raise ValidationError(_("Esa pregunta no es una respuesta abierta con texto."))
    span = locate_passage(text, passage=passage, start=start, end=end)
    return _passage_with_codes(
        {"response": response, "question": question, "row": row},
        span,
        text[span.start : span.end],
        codes,
        by,
    )


def _passage_with_codes(
    source: dict[str, Any], span: Span, text: str, codes: list[Code], by
) -> Passage:
    passage = (
        Passage.objects.select_for_update()
        .filter(**source, start=span.start, end=span.end, is_stale=False)
        .first()
    )
    if passage is None:
        passage = Passage(**source, start=span.start, end=span.end, text=text, coded_by=by)
        passage.full_clean()
        passage.save()
    _apply_codes(passage, codes, by)
    return passage


@transaction.atomic
def passage_set_codes(*, passage: Passage, codes: Iterable[Code], by) -> Passage:
    """Replace the passage's codes. Retired codes it already had may stay."""
    codes = list(codes)
    if not codes:
        raise ValidationError(_("Elige al menos un tema (o elimina el fragmento)."))
    have = {coding.code_id: coding for coding in passage.codings.select_related("code")}
    new = [code for code in codes if code.pk not in have]
    if new:
        _check_codes(new)
    wanted = {code.pk for code in codes}
    for code_id, coding in have.items():
        if code_id not in wanted:
            coding.delete()
    for code in new:
        Coding.objects.create(passage=passage, code=code, coded_by=by)
    return passage


@transaction.atomic
def passage_delete(*, passage: Passage, by) -> None:
    for coding in passage.codings.all():
        coding.delete()
    passage.delete()


# --- Quotes ------------------------------------------------------------------------


@transaction.atomic
def quote_publish(
    *,
    passage: Passage,
    by,
    text: str = "",
    sex: str = "",
    age: str = "",
    place: str = "",
) -> Passage:
    """Publish a coded passage as a quote: its text, or an anonymised edit of
    it, with an attribution made of choices (sex, age band, a place of the
    source), so that nobody types a name into it."""
    text = normalize_text(text).strip()
    if text == passage.text.strip():
        text = ""
    passage.published_text = text
    passage.attribution_sex = sex
    passage.attribution_age = age
    passage.attribution_place = place
    passage.is_published = True
    passage.published_by = by
    passage.published_at = timezone.now()
    passage.full_clean()
    passage.save()
    return passage


@transaction.atomic
def quote_unpublish(*, passage: Passage, by) -> Passage:
    passage.is_published = False
    passage.save(update_fields=["is_published"])
    return passage


# --- The codebook ------------------------------------------------------------------


def _unique_code_slug(name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:70] or "tema"
    candidate, n = base, 2
    while Code.objects.filter(slug=candidate).exclude(pk=exclude).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def code_create(*, by, name: str, description: str = "", parent: Code | None = None) -> Code:
    name = " ".join(name.split())
    if Code.objects.filter(name__iexact=name, parent=parent, is_active=True).exists():
        raise ValidationError({"name": _("Ya hay un tema con ese nombre.")})
    code = Code(
        name=name,
        description=description.strip(),
        parent=parent,
        slug=_unique_code_slug(name),
        created_by=by,
    )
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def code_update(
    *, code: Code, by, name: str, description: str, parent: Code | None, is_active: bool
) -> Code:
    code.name = " ".join(name.split())
    code.description = description.strip()
    code.parent = parent
    if code.merged_into_id and is_active:
        raise ValidationError(_("Un tema fusionado en otro no vuelve a usarse."))
    code.is_active = is_active
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def code_merge(*, drop: Code, keep: Code, by) -> int:
    """Move every coding of ``drop`` to ``keep`` and retire ``drop`` (a passage
    that had both keeps one). Returns how many passages moved."""
    if drop.pk == keep.pk:
        raise ValidationError(_("Elige otro tema con el que fusionarlo."))
    if not keep.is_active:
        raise ValidationError(_("El tema que se conserva debe estar en uso."))
    if drop.children.exists():
        raise ValidationError(
            _("Este tema tiene subtemas: fusiónalos o muévelos antes de fusionar el tema.")
        )
    moved = 0
    already = set(Coding.objects.filter(code=keep).values_list("passage_id", flat=True))
    for coding in Coding.objects.filter(code=drop).select_for_update():
        if coding.passage_id in already:
            coding.delete()
        else:
            coding.code = keep
            coding.save(update_fields=["code"])
            moved += 1
    drop.is_active = False
    drop.merged_into = keep
    drop.save(update_fields=["is_active", "merged_into"])
    return moved
