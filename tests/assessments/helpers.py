"""A small assessment instrument for the tests (two areas, four items, the
route questions, an area file), and helpers to take an assessment through
the services or the pages.

Known arithmetic of the small instrument (see test_scoring.py):
- gobernanza: gob_1 (weight 2), gob_2 (weight 1)
- incidencia: inc_1 (weight 1), inc_2 (weight 3)
"""

from __future__ import annotations

from django.urls import reverse

from polo.assessments import services
from polo.assessments.models import Assessment
from polo.surveys.models import Instrument
from polo.surveys.rendering import drafts
from polo.surveys.workbooks import xlsform_bytes

ES = "label::Español (es)"
EN = "label::English (en)"
HEADER = [
    "type",
    "name",
    ES,
    EN,
    "required",
    "appearance",
    "area",
    "weight",
    "evidence_for",
    "route",
]
LEVELS = [
    ["list_name", "name", ES, EN],
    *[["nivel", str(n), f"{n}. Nivel {n}", f"{n}. Level {n}"] for n in range(1, 5)],
    ["tema", "salud", "Salud", "Health"],
    ["tema", "educacion", "Educación", "Education"],
]


def survey(*, without: tuple[str, ...] = (), weights: dict[str, str] | None = None) -> list:
    weights = {"gob_1": "2", "gob_2": "1", "inc_1": "1", "inc_2": "3", **(weights or {})}
    rows = [
        ["begin_group", "area_gob", "Gobernanza", "Governance"],
        [
            "select_one nivel",
            "gob_1",
            "Órgano de gobierno",
            "Board",
            "yes",
            "",
            "gobernanza",
            weights["gob_1"],
        ],
        ["text", "gob_1_evidencia", "Evidencia", "Evidence", "", "multiline", "", "", "gob_1"],
        [
            "select_one nivel",
            "gob_2",
            "Reglas internas",
            "Internal rules",
            "yes",
            "",
            "gobernanza",
            weights["gob_2"],
        ],
        [
            "file",
            "gob_archivo",
            "Documento del área",
            "Area document",
            "",
            "",
            "",
            "",
            "gobernanza",
        ],
        [
            "text",
            "ejercicio",
            "Ejercicio: ¿quién decide?",
            "Exercise: who decides?",
            "",
            "multiline",
        ],
        ["end_group", ""],
        ["begin_group", "area_inc", "Incidencia", "Advocacy"],
        [
            "select_one nivel",
            "inc_1",
            "Propuesta",
            "Proposal",
            "yes",
            "",
            "incidencia",
            weights["inc_1"],
        ],
        [
            "select_one nivel",
            "inc_2",
            "Quién decide",
            "Who decides",
            "yes",
            "",
            "incidencia",
            weights["inc_2"],
        ],
        [
            "text",
            "ruta_problema",
            "¿Qué problema?",
            "Which problem?",
            "",
            "",
            "",
            "",
            "",
            "problem",
        ],
        [
            "text",
            "ruta_autoridad",
            "¿Quién decide?",
            "Who decides?",
            "",
            "",
            "",
            "",
            "",
            "authority",
        ],
        ["select_one tema", "ruta_tema", "Tema", "Theme", "", "", "", "", "", "theme"],
        ["text", "ruta_paso", "Primer paso", "First step", "", "", "", "", "", "first_step"],
        ["end_group", ""],
    ]
    return [HEADER, *[row for row in rows if row[1] not in without]]


def mini_sheets(*, version: str = "1", without: tuple[str, ...] = (), **options) -> dict:
    return {
        "survey": survey(without=without, **options),
        "choices": LEVELS,
        "settings": [
            ["form_title", "form_id", "version", "default_language"],
            ["Mini", "mini", version, "Español (es)"],
        ],
        "areas": [
            ["name", ES, EN, "description::Español (es)"],
            ["gobernanza", "Gobernanza", "Governance", "Cómo se decide."],
            ["incidencia", "Incidencia", "Advocacy", "Influir en lo público."],
        ],
        "acciones": [
            row
            for row in [
                ["item", ES, EN, "material"],
                ["gob_1", "Calendarizar las reuniones", "Schedule the meetings", "ficha"],
                ["gob_2", "Escribir un reglamento", "Write the rules", ""],
                ["inc_1", "Escribir la propuesta", "Write the proposal", ""],
            ]
            if row[0] not in without
        ],
        "materiales": [
            ["name", ES, EN, "url"],
            ["ficha", "Ficha de gobierno", "Governance sheet", "https://example.org/ficha"],
        ],
    }


def mini_xlsform(**options) -> bytes:
    return xlsform_bytes(mini_sheets(**options))


def install_mini(by, **options) -> Instrument:
    """The small instrument under the default slug, so that the pages use it."""
    instrument = Instrument.objects.create(
        slug=services.DEFAULT_SLUG, title="Manual de incidencia", kind=Instrument.Kind.ASSESSMENT
    )
    services.instrument_upload(
        data=mini_xlsform(**options), filename="mini.xlsx", by=by, instrument=instrument
    )
    return instrument


ALL_FOUR = {"gob_1": "4", "gob_2": "1", "inc_1": "2", "inc_2": "3"}


def set_levels(assessment: Assessment, levels: dict[str, str], by) -> Assessment:
    assessment.refresh_from_db()
    return services.consensus_save(
        assessment=assessment,
        levels=levels,
        expected_version=assessment.version,
        expected_response_version=drafts.version_of(assessment.response),
        by=by,
    )


def completed(organization, by, levels=None, *, extra: dict | None = None) -> Assessment:
    """An assessment of `organization` taken and completed through the services."""
    assessment = services.assessment_start(organization=organization, by=by)
    assessment = set_levels(assessment, levels or ALL_FOUR, by)
    if extra:
        response = assessment.response
        response.data = {**response.data, **extra}
        response.save()
    done = services.assessment_complete(assessment=assessment, by=by)
    assert done.done, done.problems
    return done.assessment


def url(name: str, *args) -> str:
    return reverse(f"assessments:{name}", args=args)


# --- for the authorization matrix (tests/test_authorization_matrix.py) ----------------


def _installed(by) -> Instrument:
    return Instrument.objects.filter(slug=services.DEFAULT_SLUG).first() or install_mini(by)


def matrix_completed(world) -> Assessment:
    """A completed assessment of the world's organisation, taken by its editor,
    with an action in its plan and a file among its evidence."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from polo.assessments.models import PlanAction
    from polo.surveys.models import Attachment

    _installed(world["coordinator"])
    assessment = completed(world["organization"], world["editor"])
    PlanAction.objects.create(
        assessment=assessment,
        item="gob_2",
        title="Escribir un reglamento",
        responsible="Rosa",
        due_on=dt.date(2027, 3, 31),
    )
    attachment = Attachment(
        response=assessment.response,
        name="gob_archivo",
        filename="acta.pdf",
        content_type="application/pdf",
        size=9,
    )
    attachment.file.save("acta.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return assessment


def matrix_ongoing(world) -> Assessment:
    """An assessment in progress, with a member of the organisation invited."""
    from polo.assessments.models import Invitation
    from tests import factories as f

    _installed(world["coordinator"])
    assessment = services.assessment_start(organization=world["organization"], by=world["editor"])
    member = f.UserFactory(email="invitada.matriz@ejemplo.mx")
    f.MembershipFactory(user=member, organization=world["organization"], is_editor=False)
    Invitation.objects.filter(assessment=assessment).delete()
    services.invitation_create(assessment=assessment, user=member, by=world["editor"])
    return assessment


MATRIX_KWARGS = {
    "organization": lambda w: {"pk": w["organization"].pk},
    "completed": lambda w: {"pk": matrix_completed(w).pk},
    "ongoing": lambda w: {"pk": matrix_ongoing(w).pk},
    "invitation": lambda w: (lambda a: {"pk": a.pk, "invitation_pk": a.invitations.get().pk})(
        matrix_ongoing(w)
    ),
    "action": lambda w: (lambda a: {"pk": a.pk, "action_pk": a.plan_actions.get().pk})(
        matrix_completed(w)
    ),
    "evidence": lambda w: (
        lambda a: {"pk": a.pk, "attachment_pk": a.response.attachments.get().pk}
    )(matrix_completed(w)),
    "response": lambda w: {"response_pk": matrix_completed(w).response_id},
}
