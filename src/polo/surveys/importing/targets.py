"""Where an import goes: the round (by id or «campaign/order») and the form
version (the instrument's latest, or one named by number or version string)."""

from __future__ import annotations

from django.utils.translation import gettext as _g

from polo.surveys.models import FormVersion, Instrument, Round


class TargetError(ValueError):
    """The round or the version asked for does not exist; the message says which do."""


def find_round(instrument: Instrument, text: str | None) -> Round:
    rounds = Round.objects.filter(campaign__instrument=instrument).select_related(
        "campaign__instrument"
    )
    if not text:
        candidates = list(rounds.open()) or list(rounds)
        if len(candidates) == 1:
            return candidates[0]
        raise TargetError(
            _g("Elige la ronda con --round (id o «campaña/orden»): %(rounds)s.")
            % {"rounds": _listing(rounds) or _g("el instrumento no tiene rondas")}
        )
    found = None
    if text.isdigit():
        found = rounds.filter(pk=int(text)).first()
    elif "/" in text:
        slug, _sep, order = text.rpartition("/")
        if order.isdigit():
            found = rounds.filter(campaign__slug=slug, order=int(order)).first()
    if found is None:
        raise TargetError(
            _g("No existe la ronda «%(round)s» de «%(instrument)s». Rondas: %(rounds)s.")
            % {
                "round": text,
                "instrument": instrument.slug,
                "rounds": _listing(rounds) or "—",
            }
        )
    return found


def _listing(rounds) -> str:
    return ", ".join(
        f"{r.pk} ({r.campaign.slug}/{r.order}: {r.name})" for r in rounds.order_by("pk")[:30]
    )


def find_version(instrument: Instrument, text: str | None = None) -> FormVersion:
    versions = instrument.versions.all()
    if not text:
        version = versions.order_by("-number").first()
        if version is None:
            raise TargetError(
                _g("El instrumento «%(slug)s» no tiene ninguna versión del formulario.")
                % {"slug": instrument.slug}
            )
        return version
    version = versions.filter(version=text).first()
    if version is None and text.lstrip("v").isdigit():
        version = versions.filter(number=int(text.lstrip("v"))).first()
    if version is None:
        listing = ", ".join(f"v{v.number} ({v.version})" for v in versions.order_by("number"))
        raise TargetError(
            _g("No existe la versión «%(version)s». Versiones: %(versions)s.")
            % {"version": text, "versions": listing or "—"}
        )
    return version
