"""Agreements (issue 7) on the demo data: the public accountability pages (list,
per region, per local authority), an agreement, a commitment's timeline and the
API, as a visitor. No bar of the issue applies to them; the figures show their
server time and that their queries do not grow with the data."""

from __future__ import annotations

from bench.harness import Context, Page


def pages(ctx: Context) -> list[Page]:
    from polo.agreements.models import Agreement, Commitment

    agreement = Agreement.objects.public().select_related("region").order_by("pk").first()
    if agreement is None:
        return []
    authority = (
        agreement.parties.filter(organization__kind="local_authority")
        .values_list("organization", flat=True)
        .first()
    )
    commitment = Commitment.objects.filter(agreement=agreement).order_by("-pk").first()
    found = [
        Page("Convenios", "/convenios/"),
        Page("Convenios: una región", f"/convenios/region/{agreement.region.slug}/"),
        Page("Convenios: un convenio", agreement.get_absolute_url()),
        Page("API: convenios", "/api/v1/agreements"),
    ]
    if authority:
        found.append(Page("Convenios: una autoridad", f"/convenios/autoridad/{authority}/"))
    if commitment:
        found.append(Page("Convenios: un compromiso", commitment.get_absolute_url()))
    return found
