"""Common agendas in a browser: axe on the agenda pages in every phase, and the
whole chain of issue 7 — a proposal, a support, prioritisation, adoption, an
agreement that comes from the agenda, a commitment update reported and
confirmed, and the public accountability page that shows it fulfilled."""

from __future__ import annotations

import datetime

from django.urls import reverse

from polo.agendas.models import Agenda, Amendment, Comment, Phase, Proposal
from polo.agreements.models import Agreement, Commitment, Party
from tests import factories as f
from tests.agendas.conftest import make_agenda, make_proposal
from tests.browser.axe import assert_all_accessible
from tests.browser.conftest import log_in


def test_the_agenda_pages_are_accessible(
    new_context, live_server, region, participant, facilitator, db
):
    theme = f.ThemeFactory(slug="agua", name="Agua y territorio")
    agenda = make_agenda(region, theme, phase=Phase.DELIBERATION)
    proposal = make_proposal(agenda, participant, support_count=3, comment_count=2)
    top = Comment.objects.create(
        proposal=proposal, author=facilitator, body="¿Quién da seguimiento?"
    )
    Comment.objects.create(proposal=proposal, author=participant, body="El comité.", parent=top)
    Amendment.objects.create(proposal=proposal, author=facilitator, text="Con informe semestral.")
    closed = make_agenda(region, theme, slug="cerrada", phase=Phase.ADOPTED)
    adopted_proposal = make_proposal(closed, participant)
    closed.result = {
        "method": "points",
        "ballots": 1,
        "in_person": [{"people": 20, "note": "Mano alzada", "by": "Luis", "at": "2026-01-01"}],
        "rows": [
            {
                "proposal": adopted_proposal.pk,
                "title": adopted_proposal.title,
                "online": 5,
                "voters": 1,
                "in_person": 10,
                "total": 15,
                "supports": 0,
            }
        ],
    }
    from django.utils import timezone

    closed.result_published_at = timezone.now()
    closed.save()
    closed.priorities.create(position=1, proposal=adopted_proposal)
    visitor = new_context().new_page()
    assert_all_accessible(
        visitor,
        {
            "list": reverse("agendas:index"),
            "agenda": agenda.get_absolute_url(),
            "proposals": reverse("agendas:proposals", args=[agenda.slug]),
            "proposal": proposal.get_absolute_url(),
            "results": reverse("agendas:results", args=[closed.slug]),
            "adopted": reverse("agendas:adopted", args=[closed.slug]),
        },
    )
    context = new_context()
    log_in(context, facilitator, live_server)
    staff = context.new_page()
    assert_all_accessible(
        staff,
        {
            "agenda (facilitator)": agenda.get_absolute_url(),
            "proposal (moderator)": proposal.get_absolute_url(),
            "edit": reverse("agendas:agenda_edit", args=[agenda.slug]),
            "moderation": reverse("moderation:queue"),
        },
    )


def test_the_whole_chain_from_proposal_to_public_accountability(
    new_context, live_server, region, municipality, organization, editor, facilitator, db
):
    theme = f.ThemeFactory(slug="agua", name="Agua y territorio")
    agenda = make_agenda(region, theme)
    agenda.facilitators.add(facilitator)
    proposer = f.UserFactory(
        email="vecina@ejemplo.mx", full_name="Carmen López", municipality=municipality
    )
    supporter = f.UserFactory(
        email="vecino@ejemplo.mx", full_name="Pedro Ruiz", municipality=municipality
    )

    def page_of(user):
        context = new_context()
        log_in(context, user, live_server)
        return context.new_page()

    # A resident proposes.
    mine = page_of(proposer)
    mine.goto(reverse("agendas:proposal_create", args=[agenda.slug]))
    mine.get_by_label("título *").fill("Comités del agua reconocidos")
    mine.get_by_label("problema *").fill("El agua llega dos días por semana.")
    mine.get_by_label("lo que se propone *").fill("Que el cabildo reconozca a los comités.")
    mine.get_by_label("autoridad (si no está en el directorio)").fill("Presidencia municipal")
    mine.get_by_role("button", name="Publicar").click()
    mine.get_by_role("heading", name="Comités del agua reconocidos").wait_for()
    proposal = Proposal.objects.get()

    # Another supports it (htmx swaps the button's form in place).
    theirs = page_of(supporter)
    theirs.goto(proposal.get_absolute_url())
    theirs.get_by_role("button", name="Apoyar esta propuesta").click()
    theirs.get_by_text("Usted apoya esta propuesta.").wait_for()
    assert theirs.get_by_text("1 apoyo", exact=True).is_visible()

    # The facilitator moves the agenda on to prioritisation.
    staff = page_of(facilitator)
    staff.goto(agenda.get_absolute_url())
    staff.get_by_role("button", name="Abrir la fase «Deliberación»").click()
    staff.get_by_role("button", name="Abrir la fase «Priorización»").click()
    staff.get_by_role("button", name="Cerrar la priorización y publicar el resultado").wait_for()

    # The resident prioritises.
    mine.goto(reverse("agendas:ballot", args=[agenda.slug]))
    mine.get_by_label("Comités del agua reconocidos").fill("10")
    mine.get_by_role("button", name="Guardar mi priorización").click()
    mine.get_by_text("Su priorización quedó guardada").wait_for()

    # The facilitator closes, the result is public, and the agenda is adopted.
    staff.goto(agenda.get_absolute_url())
    staff.get_by_role("button", name="Cerrar la priorización y publicar el resultado").click()
    staff.get_by_role("heading", name="Resultado de la priorización", exact=True).wait_for()
    staff.get_by_role("link", name="Adoptar la agenda").click()
    staff.get_by_role("button", name="Adoptar estas prioridades").click()
    staff.get_by_role("heading", name="1. Comités del agua reconocidos").wait_for()
    agenda.refresh_from_db()
    assert agenda.phase == Agenda.Phase.ADOPTED

    # An agreement signed from the agenda, with a commitment of the authority.
    authority = f.OrganizationFactory(
        name="Municipio de Oaxaca de Juárez", kind="local_authority", municipality=municipality
    )
    official = f.UserFactory(email="regidora@ejemplo.mx", full_name="Regidora")
    f.MembershipFactory(user=official, organization=authority, is_editor=True)
    agreement = Agreement.objects.create(
        title="Convenio del agua",
        slug="convenio-agua",
        kind=Agreement.Kind.CSO_AUTHORITY,
        status=Agreement.Status.SIGNED,
        signed_on=datetime.date(2026, 3, 1),
        region=region,
        source_agenda=agenda,
    )
    Party.objects.create(agreement=agreement, organization=organization)
    local = Party.objects.create(agreement=agreement, organization=authority)
    commitment = Commitment.objects.create(
        agreement=agreement,
        position=1,
        text="Reconocer a los comités del agua en cabildo",
        responsible=local,
        due_on=datetime.date(2030, 6, 30),
        indicator="Acta de cabildo",
    )
    staff.reload()
    staff.get_by_role("link", name="Convenio del agua").click()
    staff.get_by_role("link", name=agenda.title).wait_for()

    # The authority reports, the CSO confirms.
    authority_page = page_of(official)
    authority_page.goto(reverse("agreements:update_create", args=[commitment.pk]))
    authority_page.get_by_label("Estado del compromiso").select_option("fulfilled")
    authority_page.get_by_label("Qué se hizo (nota)").fill("Se aprobó en la sesión de cabildo.")
    authority_page.get_by_role("button", name="Enviar avance").click()
    update = commitment.updates.get()
    cso_page = page_of(editor)
    cso_page.goto(reverse("agreements:update_review", args=[update.pk]))
    cso_page.get_by_label("Confirmo el avance").check()
    cso_page.get_by_role("button", name="Enviar revisión").click()
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"

    # The public accountability page shows it, with the agreement.
    public = new_context().new_page()
    public.goto(reverse("agreements:region", args=[region.slug]))
    assert public.get_by_text("Reconocer a los comités del agua en cabildo").first.is_visible()
    assert public.get_by_text("Cumplido").first.is_visible()
