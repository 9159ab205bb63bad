"""Writes on good practices: each a typed keyword-only function in a
transaction, checking the permission it needs (views check it too, to answer
403 rather than 500) and recording why in the history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from polo.accounts.models import User
from polo.meetings.models import Meeting
from polo.practices.models import Evidence, GoodPractice


def _require(user: User, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _saved(practice: GoodPractice, *, reason: str, fields: list[str] | None = None) -> None:
    practice._change_reason = reason
    practice.save(update_fields=fields)


@transaction.atomic
def practice_save(*, form, by: User) -> GoodPractice:
    """Create or change a practice from its form. An editor's change to a
    published practice sends it back to review: what the public reads has
    always been reviewed."""
    practice: GoodPractice = form.instance
    if practice.pk:
        _require(by, "practices.change_practice", practice)
        if practice.is_published and not by.has_perm("practices.review_practice", practice):
            practice.status = GoodPractice.Status.PENDING
    else:
        practice.created_by = by
    practice._change_reason = _("Guardada por %(who)s") % {"who": by}
    practice = form.save()
    return practice


@transaction.atomic
def practice_submit(*, practice: GoodPractice, by: User) -> GoodPractice:
    _require(by, "practices.change_practice", practice)
    practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    practice.submit()
    _saved(practice, reason=_("Enviada a revisión"), fields=["status"])
    return practice


@transaction.atomic
def practice_review(
    *, practice: GoodPractice, by: User, approve: bool, note: str = ""
) -> GoodPractice:
    """Publish a practice in review, or return it to its editors with the reason."""
    _require(by, "practices.review_practice", practice)
    practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    if approve:
        practice.publish(by=by)
        reason = _("Publicada por %(who)s") % {"who": by}
    else:
        practice.return_to_editors(by=by, reason=" ".join(note.split())[:2000])
        reason = _("Devuelta por %(who)s") % {"who": by}
    _saved(
        practice,
        reason=reason,
        fields=["status", "reviewed_by", "reviewed_at", "published_at", "review_note"],
    )
    return practice


@transaction.atomic
def practice_archive(*, practice: GoodPractice, by: User) -> GoodPractice:
    _require(by, "practices.change_practice", practice)
    practice = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    practice.archive()
    _saved(practice, reason=_("Archivada por %(who)s") % {"who": by}, fields=["status"])
    return practice


@transaction.atomic
def evidence_add(
    *,
    practice: GoodPractice,
    by: User,
    kind: str,
    title: str,
    note: str = "",
    url: str = "",
    upload=None,
    content_type: str = "",
) -> Evidence:
    _require(by, "practices.change_practice", practice)
    evidence = Evidence(practice=practice, kind=kind, title=title, added_by=by)
    if kind == Evidence.Kind.NOTE:
        evidence.note = note
    elif kind == Evidence.Kind.LINK:
        evidence.url = url
    else:
        evidence.file = upload
        evidence.content_type = content_type
        evidence.size = upload.size
    evidence.full_clean(exclude=["file"])
    evidence.save()
    _back_to_review(practice, by=by)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    practice = evidence.practice
    _require(by, "practices.change_practice", practice)
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()
    _back_to_review(practice, by=by)


def _back_to_review(practice: GoodPractice, *, by: User) -> None:
    """As with ``practice_save``: evidence added to or removed from a published
    practice by an editor sends it back to review (what the public reads has
    always been reviewed); a reviewer's change keeps it published."""
    if not practice.is_published or by.has_perm("practices.review_practice", practice):
        return
    locked = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    if locked.is_published:
        locked.status = GoodPractice.Status.PENDING
        _saved(
            locked,
            reason=_("Evidencia cambiada por %(who)s: vuelve a revisión") % {"who": by},
            fields=["status"],
        )
    practice.status = locked.status


@transaction.atomic
def practice_set_meetings(*, practice: GoodPractice, meetings, by: User) -> None:
    """The practice's side: the meetings where it was presented (only public
    ones can be added; links to others, made before, are kept)."""
    _require(by, "practices.change_practice", practice)
    hidden = practice.meetings.exclude(pk__in=Meeting.objects.public())
    practice.meetings.set([*meetings, *hidden])


@transaction.atomic
def meeting_link_practice(
    *, meeting: Meeting, practice: GoodPractice, by: User, presented: bool
) -> None:
    """The meeting's side: those who run it say a published practice was (or
    was not) presented there."""
    _require(by, "meetings.run_meeting", meeting)
    if presented:
        if not practice.is_published:
            raise PermissionDenied
        practice.meetings.add(meeting)
    else:
        practice.meetings.remove(meeting)


# --- personal data ----------------------------------------------------------------


def export_practices(user: User) -> list[dict]:
    """The practices a person recorded, or where they are the contact."""
    rows = GoodPractice.objects.filter(created_by=user)
    if user.email:
        rows = rows | GoodPractice.objects.filter(contact_email__iexact=user.email)
    return [
        {
            "title": p.title,
            "status": p.status,
            "recorded_by_you": p.created_by_id == user.pk,
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
            "contact_phone": p.contact_phone,
            "created_at": p.created_at,
        }
        for p in rows.distinct().order_by("created_at", "pk")
    ]


def anonymize_practices(user: User) -> None:
    """The practices stay (they are the organisation's); the person's contact
    data goes, from them and from their history."""
    from polo.accounts.personal_data import scrub_history

    if not user.email:
        return
    blank = {
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "contact_name_public": False,
        "contact_email_public": False,
        "contact_phone_public": False,
    }
    ids = list(
        GoodPractice.objects.filter(contact_email__iexact=user.email).values_list("pk", flat=True)
    )
    if ids:
        GoodPractice.objects.filter(pk__in=ids).update(**blank)
        scrub_history(GoodPractice.history, object_ids=ids, **blank)


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("practices", export_practices)
    personal_data.register_anonymizer(anonymize_practices)
