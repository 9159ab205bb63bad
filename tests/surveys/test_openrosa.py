"""The OpenRosa server, through HTTP as ODK Collect, KoboCollect and Enketo use it:
authentication, the form list, the form, and submissions good and hostile."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
import time_machine
from defusedxml.ElementTree import fromstring
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from polo.accounts.models import User
from polo.surveys.models import Answer, Attachment, Campaign, CollectorCredential, Response, Round
from polo.surveys.openrosa import auth
from polo.surveys.openrosa.instance import data_to_xml
from tests import factories as f
from tests.surveys.conftest import baseline_answers
from tests.surveys.openrosa_helpers import (  # noqa: F401 (fixtures)
    JPEG,
    MULTIPART,
    PDF,
    OpenRosaClient,
    Part,
    basic_header,
    collector_fixture,
    collector_password_fixture,
    coordinator_collector_fixture,
    digest_header,
    instance_document,
    media_round_fixture,
    message_of,
    multipart,
    other_collector_fixture,
    parse_challenge,
    submission_parts,
)

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed-attempt counts and form hashes live in the cache: none from another test."""
    cache.clear()
    yield
    cache.clear()


XFORMS_LIST = "{http://openrosa.org/xforms/xformsList}"


def listed(response) -> dict[str, dict[str, str]]:
    """The form list as {formID: {field: text}}."""
    assert response.status_code == 200, response.content
    root = fromstring(response.content)
    assert root.tag == f"{XFORMS_LIST}xforms"
    return {
        item.find(f"{XFORMS_LIST}formID").text: {
            child.tag.removeprefix(XFORMS_LIST): child.text for child in item
        }
        for item in root.findall(f"{XFORMS_LIST}xform")
    }


def stored_files(media_root) -> list[Path]:
    """Files under the attachments' folder (the XLSForms live elsewhere)."""
    folder = Path(media_root) / "surveys" / "attachments"
    return [path for path in folder.rglob("*") if path.is_file()]


# --- authentication ------------------------------------------------------------------------


def test_it_challenges_a_request_without_credentials_with_digest(db):
    response = Client().head("/openrosa/submission")
    assert response.status_code == 401
    challenge = parse_challenge(response["WWW-Authenticate"])
    assert challenge["realm"] == "Polo"
    assert challenge["qop"] == "auth"
    assert challenge["algorithm"] == "MD5"
    assert challenge["nonce"]
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = Client().get("/openrosa/formList")
    assert body.status_code == 401
    assert "contraseña de recolección" in message_of(body)


def test_head_submission_answers_204_with_the_openrosa_headers(collector, facilitator):
    response = collector.head("/openrosa/submission")
    assert response.status_code == 204
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"]
    assert int(response["X-OpenRosa-Accept-Content-Length"]) >= 50 * 1024 * 1024
    # The challenge first, then the answer to it: as a client does.
    assert [status for _m, _p, status in collector.exchanges] == [401, 204]
    credential = CollectorCredential.objects.get(user=facilitator)
    assert credential.last_used_at is not None


def test_the_nonce_is_reused_with_an_increasing_count(collector):
    for _ in range(3):
        assert collector.head("/openrosa/submission").status_code == 204
    assert [status for _m, _p, status in collector.exchanges] == [401, 204, 204, 204]


def test_last_used_is_written_at_most_once_a_minute(collector, facilitator):
    collector.head("/openrosa/submission")
    first = CollectorCredential.objects.get(user=facilitator).last_used_at
    collector.head("/openrosa/submission")
    assert CollectorCredential.objects.get(user=facilitator).last_used_at == first


def test_it_refuses_a_wrong_password(facilitator, collector_password):
    client = OpenRosaClient(facilitator.email, collector_password + "x")
    response = client.get("/openrosa/submission")
    assert response.status_code == 401
    assert "no son correctos" in message_of(response)


def test_it_refuses_the_account_password(facilitator, collector_password):
    client = OpenRosaClient(facilitator.email, f.PASSWORD)
    assert client.head("/openrosa/submission").status_code == 401


def test_it_refuses_an_unknown_user(db):
    client = OpenRosaClient("nadie@ejemplo.mx", "abcde-fghij-kmnpq-rstuv")
    assert client.head("/openrosa/submission").status_code == 401


def test_a_revoked_credential_stops_working(collector, facilitator):
    assert collector.head("/openrosa/submission").status_code == 204
    auth.collector_credential_revoke(user=facilitator)
    assert collector.head("/openrosa/submission").status_code == 401


def test_a_new_password_replaces_the_old_one(collector, facilitator):
    assert collector.head("/openrosa/submission").status_code == 204
    new = auth.collector_credential_issue(user=facilitator)
    assert collector.head("/openrosa/submission").status_code == 401
    assert OpenRosaClient(facilitator.email, new).head("/openrosa/submission").status_code == 204


def test_an_expired_nonce_is_answered_stale_and_the_client_retries(collector):
    with time_machine.travel("2026-11-20 10:00:00 -0600", tick=False):
        assert collector.head("/openrosa/submission").status_code == 204
        old_nonce = collector.challenge["nonce"]
    with time_machine.travel("2026-11-20 10:06:00 -0600", tick=False):
        response = collector.head("/openrosa/submission")
    assert response.status_code == 204
    statuses = [status for _m, _p, status in collector.exchanges]
    assert statuses == [401, 204, 401, 204]
    assert collector.challenge["nonce"] != old_nonce


def test_a_stale_nonce_is_flagged_stale_in_the_challenge(
    collector, facilitator, collector_password
):
    with time_machine.travel("2026-11-20 10:00:00 -0600", tick=False):
        collector.head("/openrosa/submission")
    with time_machine.travel("2026-11-20 10:06:00 -0600", tick=False):
        header = digest_header(
            username=facilitator.email,
            password=collector_password,
            method="HEAD",
            uri="/openrosa/submission",
            challenge=collector.challenge,
            nc=9,
        )
        response = Client().head("/openrosa/submission", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "stale=true" in response["WWW-Authenticate"]


def test_a_forged_nonce_is_refused(facilitator, collector_password):
    challenge = {"realm": "Polo", "nonce": "6566a000.0011223344aa.00000000000000000000000000000000"}
    header = digest_header(
        username=facilitator.email,
        password=collector_password,
        method="HEAD",
        uri="/openrosa/submission",
        challenge=challenge,
        nc=1,
    )
    response = Client().head("/openrosa/submission", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "stale" not in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "override",
    [
        {"uri": "/openrosa/formList"},  # an answer computed for another URL
        {"realm": "Otro"},
        {"qop": "auth-int"},
        {"algorithm": "SHA-256"},
        {"response": "0" * 32},
        {"username": "facilitadora.montana@ejemplo.mx"},
    ],
)
def test_a_digest_answer_that_does_not_match_is_refused(
    facilitator, collector_password, other_facilitator, override
):
    auth.collector_credential_issue(user=other_facilitator)
    challenge = parse_challenge(Client().head("/openrosa/submission")["WWW-Authenticate"])
    computed = {
        "username": facilitator.email,
        "password": collector_password,
        "method": "HEAD",
        "uri": "/openrosa/submission",
        "challenge": challenge,
        "nc": 1,
    }
    sent = {key: value for key, value in override.items() if key not in computed}
    computed.update({key: value for key, value in override.items() if key in computed})
    header = digest_header(**computed, **sent)
    assert Client().head("/openrosa/submission", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_garbled_authorization_header_is_a_401(db):
    for header in ["Digest", "Digest ,,,", 'Digest username="', "Basic !!!", "Bearer abc", "x"]:
        response = Client().head("/openrosa/submission", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_basic_authentication_works_over_https(facilitator, collector_password):
    client = OpenRosaClient(facilitator.email, collector_password, scheme="basic", secure=True)
    assert client.head("/openrosa/submission").status_code == 204
    client.password = "otra-cosa"
    assert client.head("/openrosa/submission").status_code == 401


def test_basic_authentication_is_refused_over_plain_http(facilitator, collector_password):
    client = OpenRosaClient(facilitator.email, collector_password, scheme="basic")
    response = client.get("/openrosa/submission")
    assert response.status_code == 401
    assert "HTTPS" in message_of(response)


def test_a_browser_session_does_not_authenticate(as_facilitator, as_coordinator):
    for client in (as_facilitator, as_coordinator):
        assert client.get("/openrosa/formList").status_code == 401
        assert client.head("/openrosa/submission").status_code == 401


def test_a_participant_with_a_credential_is_forbidden(participant):
    password = auth.collector_credential_issue(user=participant)
    response = OpenRosaClient(participant.email, password).get("/openrosa/formList")
    assert response.status_code == 403
    assert "permiso" in message_of(response)


def test_an_inactive_account_is_forbidden(facilitator, collector):
    User.objects.filter(pk=facilitator.pk).update(is_active=False)
    assert collector.get("/openrosa/formList").status_code == 403


def test_repeated_failures_are_throttled(facilitator, collector_password):
    wrong = OpenRosaClient(facilitator.email, "adivina")
    for _ in range(auth.FAILURES_PER_USER):
        wrong.challenge, wrong.nc = None, 0
        assert wrong.head("/openrosa/submission").status_code == 401
    response = OpenRosaClient(facilitator.email, collector_password).get("/openrosa/submission")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Demasiados intentos" in message_of(response)


def test_failures_from_another_address_do_not_lock_the_user_out(facilitator, collector_password):
    wrong = OpenRosaClient(facilitator.email, "adivina")
    wrong.client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(auth.FAILURES_PER_USER):
        wrong.challenge, wrong.nc = None, 0
        wrong.head("/openrosa/submission")
    right = OpenRosaClient(facilitator.email, collector_password)
    assert right.head("/openrosa/submission").status_code == 204


def test_other_methods_are_refused_with_405(collector):
    response = collector.request("PUT", "/openrosa/submission", b"x", "text/plain")
    assert response.status_code == 405
    assert response["X-OpenRosa-Version"] == "1.0"
    assert Client().delete("/openrosa/formList").status_code == 405


# --- the form list and the form ---------------------------------------------------------


def test_the_form_list_names_each_open_round_with_its_hash_and_url(collector, baseline_round):
    forms = listed(collector.get("/openrosa/formList"))
    assert list(forms) == [baseline_round.xform_id]
    entry = forms[baseline_round.xform_id]
    version = baseline_round.campaign.instrument.current_version
    assert entry["name"] == "Línea base 2026 — Línea base"
    assert entry["version"] == version.version
    assert entry["hash"].startswith("md5:")
    assert entry["downloadUrl"] == (
        f"http://testserver/openrosa/forms/{baseline_round.xform_id}/form.xml"
    )


def test_the_form_list_carries_the_openrosa_headers(collector, baseline_round):
    response = collector.get("/openrosa/formList")
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"]
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


def test_a_facilitator_of_another_region_does_not_see_the_form(other_collector, baseline_round):
    assert listed(other_collector.get("/openrosa/formList")) == {}


def test_a_coordinator_sees_every_open_round(coordinator_collector, baseline_round):
    assert list(listed(coordinator_collector.get("/openrosa/formList"))) == [
        baseline_round.xform_id
    ]


def test_a_closed_round_leaves_the_list(collector, baseline_round):
    baseline_round.is_open = False
    baseline_round.save()
    assert listed(collector.get("/openrosa/formList")) == {}


def test_a_closed_campaign_takes_its_rounds_off_the_list(collector, baseline_round):
    Campaign.objects.filter(pk=baseline_round.campaign_id).update(status=Campaign.Status.CLOSED)
    assert listed(collector.get("/openrosa/formList")) == {}


def test_two_rounds_of_one_instrument_are_two_forms(collector, baseline_round):
    midline = Round.objects.create(
        campaign=baseline_round.campaign,
        kind="midline",
        name="Medio término",
        order=2,
        is_open=True,
    )
    forms = listed(collector.get("/openrosa/formList"))
    assert set(forms) == {baseline_round.xform_id, midline.xform_id}
    assert forms[baseline_round.xform_id]["hash"] != forms[midline.xform_id]["hash"]


def test_the_form_list_filters_by_form_id(collector, baseline_round):
    Round.objects.create(
        campaign=baseline_round.campaign,
        kind="midline",
        name="Medio término",
        order=2,
        is_open=True,
    )
    forms = listed(collector.get(f"/openrosa/formList?formID={baseline_round.xform_id}"))
    assert list(forms) == [baseline_round.xform_id]


def test_the_form_list_does_a_fixed_number_of_queries(
    collector, baseline_round, django_assert_max_num_queries
):
    collector.get("/openrosa/formList")  # authenticated once; hashes cached
    for order in range(2, 8):
        Round.objects.create(
            campaign=baseline_round.campaign,
            kind="other",
            name=f"Ronda {order}",
            order=order,
            is_open=True,
        )
    with django_assert_max_num_queries(5):
        forms = listed(collector.get("/openrosa/formList"))
    assert len(forms) == 7


def test_the_downloaded_form_is_xml_whose_md5_the_list_gives(collector, baseline_round):
    entry = listed(collector.get("/openrosa/formList"))[baseline_round.xform_id]
    response = collector.get(f"/openrosa/forms/{baseline_round.xform_id}/form.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["X-OpenRosa-Version"] == "1.0"
    assert entry["hash"] == "md5:" + hashlib.md5(response.content).hexdigest()
    root = fromstring(response.content)
    xf = "{http://www.w3.org/2002/xforms}"
    instance = root.find(f"{{http://www.w3.org/1999/xhtml}}head/{xf}model/{xf}instance")
    data = next(iter(instance))
    assert data.get("id") == baseline_round.xform_id
    assert data.get("version") == entry["version"]
    title = root.find("{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/1999/xhtml}title")
    assert title.text == entry["name"]


def test_the_hash_changes_when_the_round_is_renamed(collector, baseline_round):
    before = listed(collector.get("/openrosa/formList"))[baseline_round.xform_id]["hash"]
    baseline_round.name = "Línea base (corregida)"
    baseline_round.save()
    after = listed(collector.get("/openrosa/formList"))[baseline_round.xform_id]["hash"]
    assert before != after
    document = collector.get(f"/openrosa/forms/{baseline_round.xform_id}/form.xml").content
    assert after == "md5:" + hashlib.md5(document).hexdigest()


def test_a_form_not_open_to_the_person_is_not_served(other_collector, baseline_round):
    response = other_collector.get(f"/openrosa/forms/{baseline_round.xform_id}/form.xml")
    assert response.status_code == 403
    assert b"<h:html" not in response.content


@pytest.mark.parametrize(
    "xform_id", ["nada.r1", "linea_base_osc.r999999", "sin-ronda", "x.r", "a.r1.r2", "%3Cb%3E.r1"]
)
def test_an_unknown_form_is_404(collector, baseline_round, xform_id):
    response = collector.get(f"/openrosa/forms/{xform_id}/form.xml")
    assert response.status_code == 404
    assert response["X-OpenRosa-Version"] == "1.0"


def test_a_closed_round_form_is_403(collector, baseline_round):
    baseline_round.is_open = False
    baseline_round.save()
    response = collector.get(f"/openrosa/forms/{baseline_round.xform_id}/form.xml")
    assert response.status_code == 403
    assert "cerrada" in message_of(response)


# --- submissions -------------------------------------------------------------------------


def test_a_submission_is_stored_with_its_answers(
    collector, facilitator, baseline_round, municipality
):
    document = instance_document(
        baseline_round, baseline_answers(municipality), instance_id="uuid:0b6c0a52-1"
    )
    response = collector.submit(document)
    assert response.status_code == 201, message_of(response)
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["X-OpenRosa-Accept-Content-Length"]
    assert "recibida" in message_of(response)
    stored = Response.objects.get(instance_id="uuid:0b6c0a52-1")
    assert stored.round == baseline_round
    assert stored.form_version == baseline_round.campaign.instrument.current_version
    assert stored.source == Response.Source.OPENROSA
    assert stored.status == Response.Status.SUBMITTED
    assert stored.submitted_by == facilitator
    assert stored.submitted_at is not None
    assert stored.respondent_kind == Campaign.Respondent.ORGANIZATION
    assert stored.municipality == municipality
    assert stored.data["mujeres_equipo"] == "5"
    assert stored.data["pct_mujeres"] == "62.5"  # computed by the server
    assert stored.data["proyectos"] == [
        {"proyecto_nombre": "Casa de salud", "proyecto_tema": "salud", "proyecto_personas": "40"}
    ]
    assert "meta" not in stored.data and "instanceID" not in stored.data
    answers = Answer.objects.filter(response=stored)
    assert answers.filter(name="fuentes").count() == 2
    assert answers.get(name="proyecto_nombre").row == 1
    assert answers.first().municipality == municipality
    # The document as received is kept with it.
    kept = stored.attachments.get(name="xml_submission_file")
    assert kept.file.read() == document
    assert stored.history.latest().history_user == facilitator


def test_a_coordinator_can_submit_to_any_open_round(
    coordinator_collector, baseline_round, municipality
):
    document = instance_document(baseline_round, baseline_answers(municipality))
    assert coordinator_collector.submit(document).status_code == 201


def test_answers_of_questions_that_are_not_relevant_are_dropped(
    collector, baseline_round, municipality
):
    answers = baseline_answers(municipality, indigena="no", lengua="mixteco")
    collector.submit(instance_document(baseline_round, answers, instance_id="uuid:rel"))
    assert "lengua" not in Response.objects.get(instance_id="uuid:rel").data


def test_a_repeated_identical_submission_is_accepted_once(collector, baseline_round, municipality):
    document = instance_document(
        baseline_round, baseline_answers(municipality), instance_id="uuid:dup"
    )
    assert collector.submit(document).status_code == 201
    again = collector.submit(document)
    assert again.status_code == 202
    assert "ya se había recibido" in message_of(again)
    assert Response.objects.filter(instance_id="uuid:dup").count() == 1
    assert Answer.objects.filter(response__instance_id="uuid:dup", name="fuentes").count() == 2


def test_the_same_instance_id_with_different_answers_is_a_conflict(
    collector, baseline_round, municipality
):
    first = instance_document(baseline_round, baseline_answers(municipality), instance_id="uuid:c")
    changed = instance_document(
        baseline_round, baseline_answers(municipality, personas_equipo="9"), instance_id="uuid:c"
    )
    assert collector.submit(first).status_code == 201
    response = collector.submit(changed)
    assert response.status_code == 409
    assert "contenido distinto" in message_of(response)
    assert Response.objects.get(instance_id="uuid:c").data["personas_equipo"] == "8"


def test_an_instance_id_taken_by_a_web_response_is_a_conflict(
    collector, baseline_round, municipality
):
    version = baseline_round.campaign.instrument.current_version
    Response.objects.create(
        round=baseline_round,
        form_version=version,
        instance_id="uuid:web",
        respondent_kind="organization",
        source=Response.Source.WEB,
    )
    document = instance_document(
        baseline_round, baseline_answers(municipality), instance_id="uuid:web"
    )
    assert collector.submit(document).status_code == 409


def test_a_submission_to_a_closed_round_is_refused(collector, baseline_round, municipality):
    baseline_round.is_open = False
    baseline_round.save()
    response = collector.submit(instance_document(baseline_round, baseline_answers(municipality)))
    assert response.status_code == 403
    assert "cerrada" in message_of(response)
    assert Response.objects.count() == 0


def test_a_submission_to_a_round_of_another_region_is_refused(
    other_collector, baseline_round, municipality
):
    response = other_collector.submit(
        instance_document(baseline_round, baseline_answers(municipality))
    )
    assert response.status_code == 403
    assert "no recolectas" in message_of(response)
    assert Response.objects.count() == 0


def test_a_submission_to_an_unknown_form_is_404(collector, baseline_round, municipality):
    version = baseline_round.campaign.instrument.current_version
    document = data_to_xml(version.form, baseline_answers(municipality), "otro.r42", "1", "uuid:x")
    response = collector.submit(document)
    assert response.status_code == 404
    assert "otro.r42" in message_of(response)
    assert Response.objects.count() == 0


def test_an_unknown_version_is_refused_by_name(collector, baseline_round, municipality):
    document = instance_document(baseline_round, baseline_answers(municipality), version="1999")
    response = collector.submit(document)
    assert response.status_code == 400
    assert "«1999»" in message_of(response)
    assert Response.objects.count() == 0


def test_an_answer_outside_its_constraint_is_refused_by_the_server(
    collector, baseline_round, municipality, media_root
):
    answers = baseline_answers(municipality, personas_equipo="3", mujeres_equipo="5")
    response = collector.submit(instance_document(baseline_round, answers))
    assert response.status_code == 400
    text = message_of(response)
    assert "mujeres_equipo" in text
    assert "No puede ser mayor que el equipo." in text
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"municipio": "12041"}, "no corresponde a las respuestas anteriores"),  # cascade
        ({"tipo_actor": "empresa"}, "no es una de las opciones"),
        ({"personas_equipo": "ocho"}, "número entero"),
        ({"fecha": "2999-01-01"}, "no puede ser futura"),
        ({"consentimiento": None}, "obligatoria"),
    ],
)
def test_answers_that_break_the_form_rules_are_refused(
    collector, baseline_round, municipality, other_municipality, overrides, expected
):
    answers = baseline_answers(municipality, **overrides)
    response = collector.submit(instance_document(baseline_round, answers))
    assert response.status_code == 400
    assert expected in message_of(response)
    assert Response.objects.count() == 0


def test_an_element_the_form_does_not_have_is_refused(collector, baseline_round, municipality):
    document = instance_document(baseline_round, baseline_answers(municipality))
    unknown = document.replace(b"<meta>", b"<extra>1</extra><meta>")
    response = collector.submit(unknown)
    assert response.status_code == 400
    assert "«data/extra» no existe" in message_of(response)
    nested = document.replace(b"</capacidades>", b"<hackeo>1</hackeo></capacidades>")
    assert "«data/capacidades/hackeo» no existe" in message_of(collector.submit(nested))
    twice = document.replace(b"<meta>", b"<capacidades /><meta>")
    assert "más de una vez" in message_of(collector.submit(twice))
    group_as_value = document.replace(b"<region>", b"<region><x/>")
    assert "no otros elementos" in message_of(collector.submit(group_as_value))
    assert Response.objects.count() == 0


def test_a_document_without_instance_id_is_refused(collector, baseline_round, municipality):
    document = instance_document(baseline_round, baseline_answers(municipality), instance_id="x")
    document = document.replace(b"<instanceID>x</instanceID>", b"<instanceID />")
    response = collector.submit(document)
    assert response.status_code == 400
    assert "instanceID" in message_of(response)


@pytest.mark.parametrize(
    "document",
    [
        b"",
        b"no es xml",
        b"<data id='x'><a></data>",
        b"\xff\xfe<\x00d\x00",
        b"<?xml version='1.0' encoding='klingon'?><data/>",
    ],
)
def test_malformed_xml_is_refused(collector, baseline_round, document):
    response = collector.submit(document)
    assert response.status_code == 400
    assert message_of(response)
    assert Response.objects.count() == 0


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<data id="XFORM" version="VERSION"><identificacion><region>&lol9;</region></identificacion>
<meta><instanceID>uuid:bomba</instanceID></meta></data>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY secreto SYSTEM "file:///etc/passwd">]>
<data id="XFORM" version="VERSION"><cierre><observaciones>&secreto;</observaciones></cierre>
<meta><instanceID>uuid:externa</instanceID></meta></data>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE data [<!ENTITY % remoto SYSTEM "http://127.0.0.1:9/dtd"> %remoto;]>
<data id="XFORM" version="VERSION"><meta><instanceID>uuid:parametro</instanceID></meta></data>"""


@pytest.mark.parametrize("template", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_xml_bombs_and_external_entities_are_refused(
    collector, baseline_round, media_root, template
):
    version = baseline_round.campaign.instrument.current_version
    document = template.replace(b"XFORM", baseline_round.xform_id.encode()).replace(
        b"VERSION", version.version.encode()
    )
    response = collector.submit(document)
    assert response.status_code == 400
    assert "DTD" in message_of(response)
    assert Response.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(collector, baseline_round):
    collector.head("/openrosa/submission")
    limit = int(collector.head("/openrosa/submission")["X-OpenRosa-Accept-Content-Length"])
    collector.nc += 1
    header = digest_header(
        username=collector.username,
        password=collector.password,
        method="POST",
        uri="/openrosa/submission",
        challenge=collector.challenge,
        nc=collector.nc,
    )
    # The announced length is past the limit; the body itself is never read.
    response = Client().generic(
        "POST",
        "/openrosa/submission",
        b"ignorado",
        content_type=MULTIPART,
        HTTP_AUTHORIZATION=header,
        CONTENT_LENGTH=str(limit + 1),
    )
    assert response.status_code == 413
    assert "MB" in message_of(response)
    assert Response.objects.count() == 0


def test_a_real_body_over_a_lowered_limit_is_refused(collector, baseline_round, settings):
    settings.POLO_OPENROSA_MAX_ATTACHMENT_BYTES = 64 * 1024
    limit = int(collector.head("/openrosa/submission")["X-OpenRosa-Accept-Content-Length"])
    parts = [
        Part("xml_submission_file", b"<data/>", "i.xml", "text/xml"),
        Part("grande.jpg", JPEG + b"\x00" * limit, "grande.jpg", "image/jpeg"),
    ]
    response = collector.request("POST", "/openrosa/submission", multipart(parts), MULTIPART)
    assert response.status_code == 413


def test_a_request_without_the_instance_part_is_refused(collector, baseline_round):
    body = multipart([Part("otra_cosa", b"<data/>", "i.xml", "text/xml")])
    response = collector.request("POST", "/openrosa/submission", body, MULTIPART)
    assert response.status_code == 400
    assert "xml_submission_file" in message_of(response)


def test_a_request_that_is_not_multipart_is_refused(collector, baseline_round):
    response = collector.request("POST", "/openrosa/submission", b"<data/>", "text/xml")
    assert response.status_code == 400
    assert "multipart" in message_of(response)


def test_a_broken_multipart_body_is_refused(collector, baseline_round):
    response = collector.request(
        "POST", "/openrosa/submission", b"--nope\r\ngarbage", "multipart/form-data"
    )
    assert response.status_code == 400


def test_the_instance_may_come_as_a_plain_field(collector, baseline_round, municipality):
    """Some web clients post the document as a field without a file name."""
    document = instance_document(baseline_round, baseline_answers(municipality))
    body = multipart([Part("xml_submission_file", document, None, "text/xml")])
    response = collector.request("POST", "/openrosa/submission", body, MULTIPART)
    assert response.status_code == 201, message_of(response)


# --- attachments ---------------------------------------------------------------------------


def media_answers(**overrides):
    data = {
        "nombre": "Casa comunitaria",
        "foto": "1700000000001.jpg",
        "acta": "acta.pdf",
        "visitas": [{"visita_fecha": "2026-11-01", "visita_foto": "1700000000002.jpg"}],
    }
    data.update(overrides)
    return data


def test_attachments_are_stored_with_their_question(collector, media_round):
    document = instance_document(media_round, media_answers(), instance_id="uuid:fotos")
    response = collector.submit(
        document,
        {
            "1700000000001.jpg": (JPEG, "image/jpeg"),
            "acta.pdf": (PDF, "application/pdf"),
            "1700000000002.jpg": (JPEG + b"2", "image/jpeg"),
        },
    )
    assert response.status_code == 201, message_of(response)
    stored = Response.objects.get(instance_id="uuid:fotos")
    files = {a.filename: a for a in stored.attachments.exclude(name="xml_submission_file")}
    assert set(files) == {"1700000000001.jpg", "acta.pdf", "1700000000002.jpg"}
    assert files["1700000000001.jpg"].name == "foto"
    assert files["1700000000001.jpg"].content_type == "image/jpeg"
    assert files["acta.pdf"].content_type == "application/pdf"
    assert files["1700000000002.jpg"].name == "visita_foto"
    assert files["1700000000002.jpg"].file.read() == JPEG + b"2"
    assert files["acta.pdf"].size == len(PDF)


def test_the_type_is_sniffed_not_taken_from_the_name(collector, media_round, media_root):
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    page = b"<!doctype html><script>alert(1)</script>"
    response = collector.submit(document, {"1700000000001.jpg": (page, "image/jpeg")})
    assert response.status_code == 400
    assert "no es una imagen" in message_of(response)
    assert Response.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_pdf_declared_as_an_image_is_kept_as_a_pdf(collector, media_round):
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    response = collector.submit(document, {"1700000000001.jpg": (PDF, "image/jpeg")})
    assert response.status_code == 201
    assert Attachment.objects.get(filename="1700000000001.jpg").content_type == "application/pdf"


def test_an_attachment_over_the_limit_is_refused(collector, media_round, media_root, settings):
    settings.POLO_OPENROSA_MAX_ATTACHMENT_BYTES = 1024
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    big = JPEG + b"\x00" * 2048
    response = collector.submit(document, {"1700000000001.jpg": (big, "image/jpeg")})
    assert response.status_code == 413
    assert "1700000000001.jpg" in message_of(response)
    assert Response.objects.count() == 0
    assert stored_files(media_root) == []


def test_files_no_answer_names_are_ignored(collector, media_round):
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    response = collector.submit(
        document,
        {"1700000000001.jpg": (JPEG, "image/jpeg"), "huerfano.exe": (b"MZ\x90\x00", "x/y")},
    )
    assert response.status_code == 201
    assert "huerfano.exe" in message_of(response)
    assert not Attachment.objects.filter(filename="huerfano.exe").exists()


def test_a_split_submission_adds_the_missing_files_to_the_first_part(collector, media_round):
    """ODK Collect splits a large submission: each request repeats the document."""
    document = instance_document(media_round, media_answers(), instance_id="uuid:partes")
    first = collector.submit(document, {"1700000000001.jpg": (JPEG, "image/jpeg")})
    assert first.status_code == 201
    second = collector.submit(
        document, {"acta.pdf": (PDF, "application/pdf"), "1700000000002.jpg": (JPEG, "image/jpeg")}
    )
    assert second.status_code == 202
    assert "Se agregaron 2 archivos" in message_of(second)
    stored = Response.objects.get(instance_id="uuid:partes")
    assert stored.attachments.count() == 4  # the document and three files
    third = collector.submit(document, {"acta.pdf": (PDF, "application/pdf")})
    assert third.status_code == 202
    assert stored.attachments.count() == 4


def test_a_failed_write_leaves_no_row_and_no_file(collector, media_round, media_root, monkeypatch):
    """A failure after files are written (here: saving the photo's row, when
    the document's and the photo's files are on disk) rolls everything back
    and deletes what was written."""
    save = Attachment.save

    def failing_save(self, *args, **kwargs):
        if self.filename == "1700000000001.jpg":
            raise OSError("disco lleno")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    with pytest.raises(OSError, match="disco lleno"):
        collector.submit(document, {"1700000000001.jpg": (JPEG, "image/jpeg")})
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []
    monkeypatch.setattr(Attachment, "save", save)
    # Sent again, as the device will, it is stored whole.
    response = collector.submit(document, {"1700000000001.jpg": (JPEG, "image/jpeg")})
    assert response.status_code == 201
    assert len(stored_files(media_root)) == 2


# --- two copies at once --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_instance_sent_twice_at_once_is_stored_once(
    facilitator, collector_password, baseline_round, municipality
):
    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite database is not shared between threads")
    document = instance_document(
        baseline_round, baseline_answers(municipality), instance_id="uuid:carrera"
    )
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def send():
        client = OpenRosaClient(facilitator.email, collector_password)
        client.head("/openrosa/submission")
        barrier.wait()
        statuses.append(
            client.request(
                "POST", "/openrosa/submission", multipart(submission_parts(document)), MULTIPART
            ).status_code
        )
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 202, 202, 202]
    assert Response.objects.filter(instance_id="uuid:carrera").count() == 1


# --- the set-up page ---------------------------------------------------------------------


SETUP = "/openrosa/configurar/"


def test_the_setup_page_is_for_facilitators_and_coordinators(
    as_visitor, as_participant, as_editor, as_facilitator, as_other_facilitator, as_coordinator
):
    assert reverse("openrosa:setup") == SETUP
    assert as_visitor.get(SETUP).status_code == 302
    assert "/cuentas/login/" in as_visitor.get(SETUP)["Location"]
    assert as_participant.get(SETUP).status_code == 403
    assert as_editor.get(SETUP).status_code == 403
    for client in (as_facilitator, as_other_facilitator, as_coordinator):
        assert client.get(SETUP).status_code == 200


def test_the_setup_page_shows_the_server_url_and_the_user_name(as_facilitator, baseline_round):
    page = as_facilitator.get(SETUP).content.decode()
    assert "<code>http://testserver/openrosa</code>" in page
    assert "<code>facilitador@ejemplo.mx</code>" in page
    assert "aún no tienes una" in page


def test_a_generated_password_is_shown_once_and_works(as_facilitator, facilitator, baseline_round):
    page = as_facilitator.post(SETUP, {"action": "generate"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    password = html.split('<code class="app-password">')[1].split("</code>")[0]
    assert len(password) == 23
    assert "<svg" in html  # the QR code for ODK Collect
    client = OpenRosaClient(facilitator.email, password)
    assert list(listed(client.get("/openrosa/formList"))) == [baseline_round.xform_id]
    again = as_facilitator.get(SETUP).content.decode()
    assert password not in again
    assert "aún no se ha usado" not in again  # it has been used now


def test_the_qr_code_carries_collect_settings_and_the_page_stays_small(as_facilitator):
    import base64
    import json
    import zlib

    from polo.surveys.views.openrosa import collect_settings_payload

    payload = collect_settings_payload(
        url="http://testserver/openrosa", username="facilitador@ejemplo.mx", password="abc"
    )
    settings_json = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings_json["general"] == {
        "server_url": "http://testserver/openrosa",
        "username": "facilitador@ejemplo.mx",
        "password": "abc",
    }
    page = as_facilitator.post(SETUP, {"action": "generate"})
    assert "<title>" in page.content.decode().split("<svg", 1)[1]  # the code is named
    assert len(page.content) < 100 * 1024


def test_the_stored_credential_keeps_no_clear_password(as_facilitator, facilitator):
    html = as_facilitator.post(SETUP, {"action": "generate"}).content.decode()
    password = html.split('<code class="app-password">')[1].split("</code>")[0]
    credential = CollectorCredential.objects.get(user=facilitator)
    assert password not in credential.password_hash
    assert (
        credential.digest_ha1
        == hashlib.md5(f"{facilitator.email}:Polo:{password}".encode()).hexdigest()
    )


def test_regenerating_replaces_and_revoking_removes(as_facilitator, facilitator):
    first = as_facilitator.post(SETUP, {"action": "generate"}).content.decode()
    old = first.split('<code class="app-password">')[1].split("</code>")[0]
    second = as_facilitator.post(SETUP, {"action": "generate"}).content.decode()
    new = second.split('<code class="app-password">')[1].split("</code>")[0]
    assert OpenRosaClient(facilitator.email, old).head("/openrosa/submission").status_code == 401
    assert OpenRosaClient(facilitator.email, new).head("/openrosa/submission").status_code == 204
    response = as_facilitator.post(SETUP, {"action": "revoke"})
    assert response.status_code == 302
    assert not CollectorCredential.objects.filter(user=facilitator).exists()
    assert OpenRosaClient(facilitator.email, new).head("/openrosa/submission").status_code == 401


def test_the_setup_page_needs_a_csrf_token(facilitator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    assert client.post(SETUP, {"action": "generate"}).status_code == 403
    assert not CollectorCredential.objects.filter(user=facilitator).exists()


def test_staff_without_two_factor_are_sent_to_set_it_up(region):
    user = f.UserFactory(email="sin.totp@ejemplo.mx", role=User.Role.FACILITATOR)
    client = Client()
    client.force_login(user)
    response = client.post(SETUP, {"action": "generate"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not CollectorCredential.objects.filter(user=user).exists()


def test_a_busy_database_is_answered_503_and_nothing_is_kept(
    collector, media_round, media_root, monkeypatch
):
    """SQLite's write lock not granted in time (injected here): the device is
    told to send again, and nothing of the attempt remains."""
    from django.db import OperationalError

    from polo.surveys import services

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "response_store_answers", locked)
    document = instance_document(media_round, media_answers(acta=None, visitas=[]))
    response = collector.submit(document, {"1700000000001.jpg": (JPEG, "image/jpeg")})
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "vuelve a enviarla" in message_of(response)
    assert Response.objects.count() == 0
    assert stored_files(media_root) == []
