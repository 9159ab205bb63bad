"""Every agendas and moderation view, requested as every role (the rows the
authorization matrix needs, tested here against the agendas' own world)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from polo.agendas.models import Amendment, Comment, Phase, Priority
from tests.agendas.conftest import make_agenda, make_proposal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def staff(status):
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": status,
        "coordinator": status,
    }


def runners(status):
    """The facilitators of the agenda's region and coordinators."""
    return {**staff(status), "other_facilitator": 403}


def author(status):
    """The participant wrote the proposals of this world."""
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], 403), "participant": status}


def slug(name):
    return lambda w: [w[name].slug]


def proposal_of(name):
    return lambda w: [w[name].slug, w[f"{name}_proposal"].pk]


ROWS = {
    "index": (everyone(200), lambda w: [], "get", {}),
    "agenda_create": (staff(200), lambda w: [], "get", {}),
    "agenda": (everyone(200), slug("agenda"), "get", {}),
    "proposals": (everyone(200), slug("agenda"), "get", {}),
    "proposal": (everyone(200), proposal_of("agenda"), "get", {}),
    "results": (everyone(200), slug("closed"), "get", {}),
    "adopted": (everyone(200), slug("adopted"), "get", {}),
    "adopted_pdf": (everyone(200), slug("adopted"), "get", {}),
    "proposal_create": (signed_in(200), slug("agenda"), "get", {}),
    "proposal_edit": (author(200), proposal_of("agenda"), "get", {}),
    "support": (signed_in(302), proposal_of("agenda"), "post", {}),
    "comment_create": (signed_in(302), proposal_of("agenda"), "post", {"body": "De acuerdo."}),
    "amendment_create": (
        {**signed_in(200), "participant": 403},  # not on one's own proposal
        proposal_of("delib"),
        "get",
        {},
    ),
    "amendment_decide": (
        author(302),
        lambda w: [w["delib"].slug, w["amendment"].pk],
        "post",
        {"decision": "reject"},
    ),
    # Eligible: the editor (their organisation is in the region); the others
    # live nowhere on their accounts and are told why.
    "ballot": ({**signed_in(403), "editor": 200}, slug("voting"), "get", {}),
    "agenda_edit": (runners(200), slug("agenda"), "get", {}),
    "agenda_phase": (runners(302), slug("agenda"), "post", {"phase": "deliberation"}),
    "tally_create": (runners(200), slug("voting"), "get", {}),
    "voting_close": (runners(302), slug("voting"), "post", {}),
    "adopt": (runners(200), slug("closed"), "get", {}),
}

MODERATION_ROWS = {
    "queue": (staff(200), lambda w: [], "get", {}),
    "report": (signed_in(200), lambda w: ["agendas.proposal", w["agenda_proposal"].pk], "get", {}),
    "hide": (
        runners(302),
        lambda w: ["agendas.comment", w["comment"].pk],
        "post",
        {"reason": "Spam"},
    ),
    "restore": (runners(302), lambda w: ["agendas.comment", w["comment"].pk], "post", {}),
}


def test_every_url_has_a_row():
    from polo.agendas.urls import urlpatterns
    from polo.moderation.urls import urlpatterns as moderation_patterns

    assert {p.name for p in urlpatterns} == set(ROWS)
    assert {p.name for p in moderation_patterns} == set(MODERATION_ROWS)


@pytest.fixture
def world(region, theme, participant, editor, facilitator):
    agenda = make_agenda(region, theme)
    w = {"agenda": agenda, "agenda_proposal": make_proposal(agenda, participant)}
    for name, phase in (
        ("delib", Phase.DELIBERATION),
        ("voting", Phase.PRIORITISATION),
        ("closed", Phase.PRIORITISATION),
        ("adopted", Phase.ADOPTED),
    ):
        w[name] = make_agenda(region, theme, slug=name, phase=phase)
        w[f"{name}_proposal"] = make_proposal(w[name], participant)
    for name in ("closed", "adopted"):
        w[name].result = {"method": "points", "ballots": 0, "in_person": [], "rows": []}
        w[name].result_published_at = timezone.now()
        w[name].save()
    Priority.objects.create(agenda=w["adopted"], position=1, proposal=w["adopted_proposal"])
    w["amendment"] = Amendment.objects.create(
        proposal=w["delib_proposal"], author=editor, text="Otro texto"
    )
    w["comment"] = Comment.objects.create(
        proposal=w["agenda_proposal"], author=editor, body="Comentario"
    )
    return w


def _check(request, namespace, rows, name, role, world):
    expect, args, method, data = rows[name]
    client = request.getfixturevalue(f"as_{role}")
    response = getattr(client, method)(reverse(f"{namespace}:{name}", args=args(world)), data)
    wanted = expect[role]
    if wanted == LOGIN:
        assert response.status_code == 302, (name, role, response.status_code)
        assert "/cuentas/login/" in response["Location"]
    else:
        assert response.status_code == wanted, (name, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_what_the_row_says(request, name, role, world):
    _check(request, "agendas", ROWS, name, role, world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MODERATION_ROWS))
def test_each_role_gets_what_the_moderation_row_says(request, name, role, world):
    _check(request, "moderation", MODERATION_ROWS, name, role, world)


def test_a_draft_agenda_is_not_found_by_those_who_may_not_see_it(
    as_visitor, as_participant, as_other_facilitator, as_facilitator, region, theme
):
    draft = make_agenda(region, theme, slug="borrador", phase=Phase.DRAFT, title="Agenda secreta")
    for client in (as_visitor, as_participant, as_other_facilitator):
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert "Agenda secreta" not in client.get(reverse("agendas:index")).content.decode()
    assert as_facilitator.get(draft.get_absolute_url()).status_code == 200
