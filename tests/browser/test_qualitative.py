"""The qualitative diagnosis in a browser: axe on the public dashboard and on
the coding pages; coding a selection with JavaScript, and a paragraph without."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.qualitative import services
from polo.qualitative.models import Passage
from tests.browser.axe import assert_all_accessible
from tests.browser.conftest import log_in
from tests.qualitative.factories import (
    NOTES,
    CodeFactory,
    FocusGroupFactory,
    code_passage,
    open_response,
    open_round,
    passage_of_answer,
)


@pytest.fixture
def qualitative(programme, other_municipality, coordinator, facilitator, settings):
    """A codebook, coded sessions in both regions, a coded open answer and a
    published quote."""
    settings.POLO_MIN_CELL_SIZE = 2
    health = CodeFactory(slug="salud", name="Acceso a servicios de salud")
    water = CodeFactory(slug="agua", name="Agua y medio ambiente")
    CodeFactory(slug="salud-distancia", name="Distancia a la clínica", parent=health)
    sessions = [
        FocusGroupFactory(
            title=f"Grupo focal {n}", municipality=municipality, facilitator=facilitator
        )
        for n, municipality in enumerate(
            [programme["municipality"], programme["municipality"], other_municipality]
        )
    ]
    for session in sessions:
        code_passage(session, [health], paragraph=0)
        code_passage(session, [water], passage="pozo")
    round_ = open_round(programme["region"])
    answer = open_response(round_, programme["municipality"], problems="Falta agua potable.")
    passage_of_answer(answer, [water])
    services.quote_publish(
        passage=sessions[0].passages.get(text="pozo"),
        by=coordinator,
        text="El pozo se seca en abril.",
        sex="woman",
        age="30_59",
        place="region",
    )
    return {"session": sessions[0], "round": round_, "health": health, "water": water}


def test_the_dashboard_and_the_coding_pages_have_no_serious_violations(
    new_context, live_server, qualitative, facilitator, coordinator
):
    public = new_context().new_page()
    assert_all_accessible(
        public,
        {
            "dashboard": reverse("qualitative:dashboard"),
            "dashboard filtered": reverse("qualitative:dashboard") + "?region=valles-centrales",
        },
    )
    expect(public.locator("main")).to_contain_text("El pozo se seca en abril.")

    context = new_context()
    log_in(context, coordinator, live_server)
    page = context.new_page()
    session = qualitative["session"]
    passage = session.passages.get(text="pozo")
    assert_all_accessible(
        page,
        {
            "dashboard (staff)": reverse("qualitative:dashboard"),
            "sessions": reverse("qualitative:focus_groups"),
            "new session": reverse("qualitative:focus_group_create"),
            "coding page": session.get_absolute_url(),
            "edit session": reverse("qualitative:focus_group_edit", args=[session.pk]),
            "open answers": reverse("qualitative:open_answers", args=[qualitative["round"].pk]),
            "passages": reverse("qualitative:passages"),
            "passage": passage.get_absolute_url(),
            "quote": reverse("qualitative:quote", args=[passage.pk]),
            "codebook": reverse("qualitative:codebook"),
            "edit theme": reverse("qualitative:code_edit", args=["salud"]),
            "merge theme": reverse("qualitative:code_merge", args=["agua"]),
        },
    )
    # The coding page with its forms open and a refused passage.
    page.goto(session.get_absolute_url())
    page.locator("details").first.locator("summary").click()
    form = page.locator("#coding-form")
    form.get_by_label("Fragmento").fill("nada de esto está en las notas")
    form.get_by_label("Agua y medio ambiente").check()
    form.get_by_role("button", name="Codificar el fragmento").click()
    expect(page.get_by_role("alert")).to_contain_text("No encontramos ese fragmento")
    from tests.browser.axe import assert_accessible

    assert_accessible(page)


def test_a_facilitator_codes_words_selected_in_the_notes(
    new_context, live_server, qualitative, facilitator
):
    context = new_context()
    log_in(context, facilitator, live_server)
    page = context.new_page()
    session = FocusGroupFactory(
        title="Sesión para seleccionar",
        municipality=qualitative["session"].municipality,
        notes=NOTES + "\n\nOtra vez: las familias compran pipas.",
    )
    page.goto(session.get_absolute_url())

    # «las familias compran pipas» is there twice: the selection says which one.
    paragraph = page.locator(".qual-notes .paragraph").nth(2)
    paragraph.evaluate(
        """(element) => {
            const text = element.firstChild;
            const at = text.data.indexOf("las familias compran pipas");
            const range = document.createRange();
            range.setStart(text, at);
            range.setEnd(text, at + "las familias compran pipas".length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            element.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    page.get_by_role("button", name="Codificar la selección").click()
    form = page.locator("#coding-form")
    expect(form.get_by_label("Fragmento")).to_have_value("las familias compran pipas")
    form.get_by_label("Agua y medio ambiente").check()
    form.get_by_role("button", name="Codificar el fragmento").click()

    expect(page.get_by_role("status")).to_contain_text("Se codificó el fragmento")
    passage = Passage.objects.get(focus_group=session)
    first = session.notes.index("las familias compran pipas")
    assert passage.start == first  # the third paragraph's, not the last one's
    assert session.notes[passage.start : passage.end] == "las familias compran pipas"


def test_a_paragraph_is_coded_without_javascript(
    new_context, live_server, qualitative, facilitator
):
    context = new_context(java_script_enabled=False)
    log_in(context, facilitator, live_server)
    page = context.new_page()
    session = qualitative["session"]
    page.goto(session.get_absolute_url())

    item = page.locator("#parrafo-1")
    item.locator("summary").click()
    item.get_by_label("Acceso a servicios de salud").check()
    item.get_by_role("button", name="Codificar el párrafo 2").click()

    expect(page.get_by_role("status")).to_contain_text("Se codificó el fragmento")
    paragraph = session.paragraphs()[1]
    passage = Passage.objects.get(focus_group=session, start=paragraph.start)
    assert passage.end == paragraph.end
    assert list(passage.codes.all()) == [qualitative["health"]]
