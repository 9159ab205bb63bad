"""Good practices (issue 6, A4.1): the public list (plain, searched, filtered),
a practice's page, the API list and the facilitator's review queue, on the
demo's practices (30 published, a few in review). The issue sets no bar for
them: the figures are the pages' cost beside the directory's."""

from __future__ import annotations

from bench.harness import Context, Page


def pages(ctx: Context) -> list[Page]:
    from polo.practices.models import GoodPractice

    practice = GoodPractice.objects.published().order_by("pk").first()
    found = (
        [Page(f"Buena práctica ({practice.slug[:30]})", practice.get_absolute_url())]
        if practice
        else []
    )
    return [
        Page("Buenas prácticas", "/buenas-practicas/"),
        Page("Buenas prácticas (texto)", "/buenas-practicas/?q=comites+agua"),
        Page(
            "Buenas prácticas (región, tema, tipo)",
            "/buenas-practicas/?region=mixteca-huajuapan&kind=cso&page=1",
        ),
        *found,
        Page("/api/v1/practices", "/api/v1/practices?page_size=100"),
        Page("Prácticas por revisar", "/buenas-practicas/revision/", user="facilitador@polo.demo"),
    ]
