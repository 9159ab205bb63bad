"""Every agreements view, requested as every role (the rows the authorization
matrix needs, tested here against the agreements' own world)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.agreements.models import CommitmentUpdate

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def manages(status, denied=403):
    """Facilitators of the agreement's region and coordinators."""
    return {
        "visitor": LOGIN,
        "participant": denied,
        "editor": denied,
        "facilitator": status,
        "other_facilitator": denied,
        "coordinator": status,
    }


def staff(status):
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": status,
        "coordinator": status,
    }


# The editor edits the CSO party; the commitment is the CSO's own, and the update
# was reported by the authority (so the CSO's editor reviews it).
ROWS = {
    "index": (everyone(200), lambda w: [], "get", {}),
    "region": (everyone(200), lambda w: [w["agreement"].region.slug], "get", {}),
    "authority": (everyone(200), lambda w: [w["authority"].pk], "get", {}),
    "agreement": (everyone(200), lambda w: [w["agreement"].slug], "get", {}),
    "document": (everyone(200), lambda w: [w["agreement"].slug], "get", {}),
    "commitment": (everyone(200), lambda w: [w["commitment"].pk], "get", {}),
    "evidence": (everyone(200), lambda w: [w["update"].pk], "get", {}),
    "agreement_create": (staff(200), lambda w: [], "get", {}),
    "agreement_edit": (manages(200), lambda w: [w["agreement"].slug], "get", {}),
    "parties": (manages(200), lambda w: [w["agreement"].slug], "get", {}),
    "commitment_create": (manages(200), lambda w: [w["agreement"].slug], "get", {}),
    "commitment_edit": (manages(200), lambda w: [w["commitment"].pk], "get", {}),
    "update_create": (
        {**manages(200), "editor": 200},
        lambda w: [w["commitment"].pk],
        "get",
        {},
    ),
    "update_review": (
        {**manages(403), "editor": 200},
        lambda w: [w["update"].pk],
        "get",
        {},
    ),
    # Whoever runs the meeting: the editor of its organiser, the region's
    # facilitator, coordinators (meetings.run_meeting).
    "from_meeting": (
        {**manages(200), "editor": 200},
        lambda w: [w["meeting_agreement"].pk],
        "get",
        {},
    ),
}


def test_every_agreements_url_has_a_row():
    from polo.agreements.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(ROWS)


@pytest.fixture
def world(agreement, authority, cso_commitment, authority_commitment, media_root):
    from django.core.files.base import ContentFile

    from tests.agreements.conftest import PDF, party

    agreement.document.save("convenio.pdf", ContentFile(PDF))
    update = CommitmentUpdate(
        commitment=authority_commitment,
        party=party(agreement, authority),
        status="in_progress",
        note="Se presentó el proyecto de reglamento al cabildo.",
        file_size=len(PDF),
    )
    update.file.save("evidencia.pdf", ContentFile(PDF), save=False)
    update.save()
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(
        title="Foro de seguimiento", municipality=agreement.municipalities.get()
    )
    meeting.organizers.add(cso_commitment.responsible.organization)
    meeting_agreement = meeting.agreements.create(text="Publicar el calendario de consultas.")
    return {
        "agreement": agreement,
        "authority": authority,
        "commitment": cso_commitment,
        "update": update,
        "meeting_agreement": meeting_agreement,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rows_say(request, role, world):
    client = request.getfixturevalue(f"as_{role}")
    for name, (expect, args, method, data) in ROWS.items():
        response = getattr(client, method)(reverse(f"agreements:{name}", args=args(world)), data)
        wanted = expect[role]
        if wanted == LOGIN:
            assert response.status_code == 302, (name, role)
            assert "login" in response["Location"], (name, role)
        else:
            assert response.status_code == wanted, (name, role, response.status_code)


def test_drafts_are_seen_only_by_those_who_manage_them(
    draft, as_visitor, as_editor, as_other_facilitator, as_facilitator, as_coordinator
):
    url = reverse("agreements:agreement", args=[draft.slug])
    for client in (as_visitor, as_editor, as_other_facilitator):
        assert client.get(url).status_code == 404
    for client in (as_facilitator, as_coordinator):
        response = client.get(url)
        assert response.status_code == 200
        assert "Borrador: no es público." in response.content.decode()
    index = as_visitor.get(reverse("agreements:index")).content.decode()
    assert draft.title not in index
    assert draft.title in as_facilitator.get(reverse("agreements:index")).content.decode()
    assert draft.title not in as_other_facilitator.get(reverse("agreements:index")).content.decode()
