"""Writes on consultations: the definition (each change in the audit log),
voting codes, casting a ballot, and the published tally.

Casting a ballot writes the voter record and the ballot in one transaction.
The unique constraints do the refusing: ``VoterRecord(consultation, user)`` and
``VoterRecord.code``, so a second ballot, a double click or a reused code fails
on insert and the whole transaction, ballot included, is rolled back. No lock
is taken: concurrent voters never wait for each other.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polo.consultations import selectors
from polo.consultations.models import (
    AuditLog,
    Ballot,
    Consultation,
    EligibleVoter,
    Option,
    Question,
    VoterRecord,
    VotingCode,
    normalise_code,
    random_code,
)

RECEIPT_LENGTH = 10  # 31**10: about 8e14, not guessable
CODE_LENGTH = 8
MAX_CODES = 2000


class BallotRefused(Exception):
    """A ballot that is not counted, with the reason and the HTTP status to answer."""

    status = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class OutsideWindow(BallotRefused):
    status = 403


class NotEligible(BallotRefused):
    status = 403


class AlreadyVoted(BallotRefused):
    status = 409


class InvalidChoice(BallotRefused):
    status = 400


def log(consultation: Consultation, action: str, *, by=None, **detail) -> AuditLog:
    return AuditLog.objects.create(
        consultation=consultation, actor=by, action=action, detail=detail
    )


# The definition ---------------------------------------------------------------


def consultation_create(*, by, **fields) -> Consultation:
    with transaction.atomic():
        consultation = Consultation(created_by=by, **fields)
        consultation.full_clean()
        consultation.save()
        log(consultation, AuditLog.Action.CREATED, by=by, title=consultation.title)
    return consultation


def consultation_edit(*, consultation: Consultation, by, changed: Iterable[str]) -> None:
    """Save a consultation whose fields a form has set (still a draft)."""
    with transaction.atomic():
        consultation.full_clean()
        consultation.save()
        log(consultation, AuditLog.Action.EDITED, by=by, fields=sorted(changed))


def eligible_list_set(*, consultation: Consultation, users: Iterable, by) -> int:
    with transaction.atomic():
        consultation.eligible_voters.all().delete()
        rows = EligibleVoter.objects.bulk_create(
            [EligibleVoter(consultation=consultation, user=u) for u in users],
            ignore_conflicts=True,
        )
        log(consultation, AuditLog.Action.EDITED, by=by, fields=["eligible_list"], size=len(rows))
    return len(rows)


def question_add(
    *,
    consultation: Consultation,
    by,
    text: str,
    kind: str,
    options: list[str],
    max_choices: int = 1,
) -> Question:
    with transaction.atomic():
        position = consultation.questions.count() + 1
        if kind != Question.Kind.MULTIPLE:
            max_choices = 1
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            text=text,
            kind=kind,
            max_choices=max_choices,
        )
        for n, option in enumerate(options, start=1):
            Option.objects.create(question=question, position=n, text=option)
        log(
            consultation,
            AuditLog.Action.QUESTION_ADDED,
            by=by,
            question=text,
            kind=kind,
            options=options,
        )
    return question


def question_remove(*, question: Question, by) -> None:
    with transaction.atomic():
        log(question.consultation, AuditLog.Action.QUESTION_REMOVED, by=by, question=question.text)
        question.delete()


def consultation_schedule(*, consultation: Consultation, by) -> None:
    if not consultation.questions.exists():
        raise ValueError(_("La consulta necesita al menos una pregunta."))
    with transaction.atomic():
        consultation.status = Consultation.Status.SCHEDULED
        consultation.save(update_fields=["status"])
        log(consultation, AuditLog.Action.SCHEDULED, by=by)


def codes_issue(*, consultation: Consultation, count: int, by) -> list[VotingCode]:
    """``count`` new one-time codes for the voting table; each names who issued it."""
    count = max(1, min(count, MAX_CODES))
    with transaction.atomic():
        taken = set(consultation.codes.values_list("code", flat=True))
        fresh: set[str] = set()
        while len(fresh) < count:
            code = random_code(CODE_LENGTH)
            if code not in taken:
                fresh.add(code)
        codes = VotingCode.objects.bulk_create(
            [VotingCode(consultation=consultation, code=c, issued_by=by) for c in sorted(fresh)]
        )
        log(consultation, AuditLog.Action.CODES_ISSUED, by=by, count=count)
    return codes


# Voting -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    allowed: int
    options: frozenset[int]


def ballot_spec(consultation: Consultation) -> dict[int, QuestionSpec]:
    """What a ballot may contain, read once (a voting table reuses it)."""
    spec: dict[int, QuestionSpec] = {}
    for question in consultation.questions.prefetch_related("options"):
        spec[question.pk] = QuestionSpec(
            kind=question.kind,
            allowed=question.allowed,
            options=frozenset(o.pk for o in question.options.all()),
        )
    return spec


def ballot_validate(
    answers: Mapping[int, list[int]], spec: Mapping[int, QuestionSpec]
) -> dict[str, list[int]]:
    """The ballot's choices as stored, or InvalidChoice. A question may be left blank."""
    unknown = set(answers) - set(spec)
    if unknown:
        raise InvalidChoice(_("La boleta responde una pregunta que no es de esta consulta."))
    choices: dict[str, list[int]] = {}
    for question_id, question in spec.items():
        chosen = list(answers.get(question_id, []))
        if len(set(chosen)) != len(chosen):
            raise InvalidChoice(_("Una opción aparece dos veces en la misma pregunta."))
        if not set(chosen) <= question.options:
            raise InvalidChoice(_("La boleta elige una opción que no existe."))
        if len(chosen) > question.allowed:
            raise InvalidChoice(
                _("Se marcaron más opciones de las permitidas (máximo %(n)s).")
                % {"n": question.allowed}
            )
        choices[str(question_id)] = chosen
    return choices


def ballot_cast(
    *,
    consultation: Consultation,
    answers: Mapping[int, list[int]],
    user=None,
    code: str | None = None,
    spec: Mapping[int, QuestionSpec] | None = None,
) -> str:
    """Count one ballot; return its receipt. Raises a BallotRefused and counts
    nothing when the consultation is not open, the voter may not vote or already
    did, the code is unknown or used, or the choices are not valid."""
    if not consultation.is_open:
        raise OutsideWindow(_("La consulta no está abierta: no se reciben votos."))
    choices = ballot_validate(answers, spec if spec is not None else ballot_spec(consultation))
    receipt = random_code(RECEIPT_LENGTH)
    try:
        if connection.vendor == "postgresql":
            counted = _cast_in_one_statement(consultation, user, code, receipt, choices)
        else:
            counted = _cast(consultation, user, code, receipt, choices)
    except IntegrityError as error:
        if user is None:
            message = _("Este código ya se usó: cada código vale un solo voto.")
            raise AlreadyVoted(message) from error
        raise AlreadyVoted(_("Ya votó en esta consulta: se cuenta una sola boleta.")) from error
    if not counted:
        if user is None:
            raise NotEligible(_("El código no es válido para esta consulta."))
        raise NotEligible(_("Su cuenta no está en el padrón de esta consulta."))
    return receipt


def _cast(consultation, user, code, receipt, choices) -> bool:
    """Check the voter, then write who voted and what, in one transaction."""
    voting_code = None
    if user is not None:
        if not selectors.is_eligible(consultation, user):
            return False
    else:
        voting_code = VotingCode.objects.filter(
            consultation=consultation, code=normalise_code(code or "")
        ).first()
        if voting_code is None:
            return False
    with transaction.atomic():
        VoterRecord.objects.create(consultation=consultation, user=user, code=voting_code)
        Ballot.objects.create(consultation=consultation, receipt=receipt, choices=choices)
    return True


def _cast_in_one_statement(consultation, user, code, receipt, choices) -> bool:
    """The same as ``_cast`` in a single PostgreSQL statement (one round trip
    instead of five: what sets the pace when many vote at once). The voter
    record is inserted only if the account is eligible, or the code is one of
    the consultation's; the ballot only if the voter record was. A unique
    constraint refuses the whole statement. False: not eligible, or no such code.

    The statement's text is built once per consultation (``_ballot_statement``),
    not by the ORM for every ballot, and sent with server-side binding (the
    values travel apart from the text: nothing to quote, no statement prepared,
    so a connection pooler is no problem)."""
    sql, fixed = _ballot_statement(_statement_key(consultation), user is not None)
    voter = user.pk if user is not None else normalise_code(code or "")
    params = [
        uuid.uuid4(),
        timezone.localdate(),
        *fixed,
        voter,
        uuid.uuid4(),
        receipt,
        json.dumps(choices, separators=(",", ":")),
    ]
    if connection.in_atomic_block:
        # Inside a caller's transaction (a test, a bulk job), a savepoint keeps
        # a refusal from breaking it.
        with transaction.atomic(), _binding_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount == 1
    # Otherwise the statement is its own transaction (autocommit).
    with _binding_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _binding_cursor():
    """A cursor of the default connection with server-side binding (psycopg 3),
    wrapped as Django wraps its own (so query logging and counting see it)."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:  # pragma: no cover - psycopg 2 has client-side binding only
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _statement_key(consultation: Consultation) -> tuple:
    """What the eligibility check depends on (a consultation's voters are
    fixed once it leaves the draft, but a key with every field is safe anyway)."""
    return (
        consultation.pk,
        consultation.eligibility,
        consultation.municipality_id,
        consultation.region_id,
        consultation.sector,
        consultation.meeting_id,
    )


@functools.lru_cache(maxsize=128)
def _ballot_statement(key: tuple, by_account: bool) -> tuple[str, tuple]:
    """The ballot's statement and the parameters that are the same for every
    ballot of the consultation. Its parameters, in order: the voter record's
    id, the day, the fixed ones, the account's id (or the code), the ballot's
    id, receipt and choices."""
    consultation_id = key[0]
    consultation = Consultation(
        pk=consultation_id,
        eligibility=key[1],
        municipality_id=key[2],
        region_id=key[3],
        sector=key[4],
        meeting_id=key[5],
    )
    voter_table = VoterRecord._meta.db_table
    ballot_table = Ballot._meta.db_table
    if by_account:
        # The eligible accounts as a subquery that the planner pulls up, so the
        # account's id reaches the primary key index (no scan of the electorate).
        eligible = selectors.eligible_users(consultation).order_by().values("pk")
        eligible_sql, eligible_params = eligible.query.sql_with_params()
        voter_sql = (
            f"INSERT INTO {voter_table} (id, voted_on, consultation_id, user_id, code_id) "
            f"SELECT %s::uuid, %s::date, %s, e.pk, NULL FROM ({eligible_sql}) e "
            "WHERE e.pk = %s RETURNING 1"
        )
        fixed = (consultation_id, *eligible_params)
    else:
        voter_sql = (
            f"INSERT INTO {voter_table} (id, voted_on, consultation_id, user_id, code_id) "
            f"SELECT %s::uuid, %s::date, c.consultation_id, NULL, c.id "
            f"FROM {VotingCode._meta.db_table} c "
            "WHERE c.consultation_id = %s AND c.code = %s RETURNING 1"
        )
        fixed = (consultation_id,)
    sql = (
        f"WITH voter AS ({voter_sql}) "
        f"INSERT INTO {ballot_table} (id, consultation_id, receipt, choices) "
        f"SELECT %s::uuid, {int(consultation_id)}, %s, %s::jsonb FROM voter"
    )
    return sql, fixed


# The tally --------------------------------------------------------------------


def ballots_digest(rows: Iterable[tuple[str, dict]]) -> str:
    """A fingerprint of every counted ballot (receipt and choices), in receipt order."""
    digest = hashlib.sha256()
    for receipt, choices in sorted(rows, key=lambda r: r[0]):
        digest.update(receipt.encode())
        digest.update(json.dumps(choices, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()


def tally(consultation: Consultation) -> dict:
    """Count the stored ballots: votes per option (a ranking: Borda points, the
    first of n options getting n points, and first preferences), blanks, turnout."""
    questions = list(consultation.questions.prefetch_related("options"))
    counts: dict[str, dict[int, int]] = {str(q.pk): {} for q in questions}
    firsts: dict[str, dict[int, int]] = {str(q.pk): {} for q in questions}
    blanks: dict[str, int] = dict.fromkeys(counts, 0)
    sizes = {str(q.pk): q.options.count() for q in questions}
    kinds = {str(q.pk): q.kind for q in questions}
    rows = list(consultation.ballots.values_list("receipt", "choices"))
    for _receipt, choices in rows:
        for key, chosen in choices.items():
            if key not in counts:
                continue
            if not chosen:
                blanks[key] += 1
                continue
            tally_q = counts[key]
            if kinds[key] == Question.Kind.RANKING:
                for rank, option in enumerate(chosen):
                    tally_q[option] = tally_q.get(option, 0) + sizes[key] - rank
                firsts[key][chosen[0]] = firsts[key].get(chosen[0], 0) + 1
            else:
                for option in chosen:
                    tally_q[option] = tally_q.get(option, 0) + 1
    eligible = selectors.electorate(consultation)
    return {
        "ballots": len(rows),
        "voters": consultation.voter_records.count(),
        "eligible": eligible,
        "turnout": round(len(rows) / eligible, 4) if eligible else None,
        "digest": ballots_digest(rows),
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "blank": blanks[str(q.pk)],
                "options": [
                    {
                        "id": o.pk,
                        "text": o.text,
                        "count": counts[str(q.pk)].get(o.pk, 0),
                        "first": firsts[str(q.pk)].get(o.pk, 0),
                    }
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
    }


def consultation_publish(*, consultation: Consultation, by) -> dict:
    """Count the ballots of a closed consultation and publish the result. The
    status is checked again on the locked row: of two publishes at once, the
    second finds the consultation published and is refused."""
    refused = _("Solo se publica el resultado de una consulta cerrada.")
    if consultation.current_status != Consultation.Status.CLOSED:
        raise ValueError(refused)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.current_status != Consultation.Status.CLOSED:
            raise ValueError(refused)
        result = tally(consultation)
        consultation.result = result
        consultation.status = Consultation.Status.PUBLISHED
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["result", "status", "published_at"])
        log(
            consultation,
            AuditLog.Action.PUBLISHED,
            by=by,
            ballots=result["ballots"],
            eligible=result["eligible"],
            digest=result["digest"],
        )
    return result


def recount(consultation: Consultation) -> tuple[dict, list[str]]:
    """Count again from the stored ballots; the differences with the published result."""
    fresh = tally(consultation)
    published = consultation.result or {}
    differences = []
    for key in ("ballots", "voters", "digest"):
        if published.get(key) != fresh[key]:
            differences.append(f"{key}: {published.get(key)} ≠ {fresh[key]}")
    if fresh["ballots"] != fresh["voters"]:
        differences.append(f"ballots {fresh['ballots']} ≠ voter records {fresh['voters']}")
    old = {
        (q["id"], o["id"]): o["count"] for q in published.get("questions", []) for o in q["options"]
    }
    new = {(q["id"], o["id"]): o["count"] for q in fresh["questions"] for o in q["options"]}
    if old != new:
        differences.append("option counts differ")
    log(consultation, AuditLog.Action.RECOUNTED, matches=not differences, digest=fresh["digest"])
    return fresh, differences


# Personal data ----------------------------------------------------------------


def export_participation(user) -> list[dict]:
    """That the person voted (never how: that is not linked to them)."""
    records = VoterRecord.objects.filter(user=user).select_related("consultation")
    listed = EligibleVoter.objects.filter(user=user).select_related("consultation")
    return [{"consultation": r.consultation.title, "voted_on": r.voted_on} for r in records] + [
        {"consultation": e.consultation.title, "on_voter_list": True} for e in listed
    ]


def anonymize_participation(user) -> None:
    # A voter record says only that an account voted; the anonymized account
    # keeps it so turnout stays true. List entries are removed.
    EligibleVoter.objects.filter(user=user).delete()


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("consultations", export_participation)
    personal_data.register_anonymizer(anonymize_participation)
