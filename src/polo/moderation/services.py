"""Writes of moderation: a report, a hide, a restore. Each hide or restore
closes the item's open reports and leaves a Decision."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from polo.moderation import registry
from polo.moderation.models import Decision, Report


def _registered(item) -> registry.Entry:
    entry = registry.entry_for(type(item))
    if entry is None:
        raise ValidationError(_("Este contenido no se puede reportar."))
    return entry


def report_create(*, item, by, reason: str, note: str = "") -> Report:
    """One report per person per item: a second is refused (ValidationError)."""
    _registered(item)
    report = Report(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        reporter=by,
        reason=reason,
        note=note.strip(),
    )
    report.full_clean(exclude=["content_type", "reporter"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError(_("Ya reportó este contenido; el equipo lo revisará.")) from error
    return report


@transaction.atomic
def item_hide(*, item, reason: str, by) -> Decision:
    _registered(item)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Escriba el motivo: la persona autora lo verá."))
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.is_hidden:
        raise ValidationError(_("Este contenido ya está oculto."))
    item.hide(reason=reason, by=by)
    content_type = ContentType.objects.get_for_model(item)
    Report.objects.filter(
        content_type=content_type, object_id=item.pk, status=Report.Status.OPEN
    ).update(status=Report.Status.HIDDEN)
    return Decision.objects.create(
        content_type=content_type,
        object_id=item.pk,
        action=Decision.Action.HIDE,
        reason=reason,
        by=by,
    )


@transaction.atomic
def item_restore(*, item, by, reason: str = "") -> Decision:
    _registered(item)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    content_type = ContentType.objects.get_for_model(item)
    if item.is_hidden:
        item.restore()
    # Restoring an item that was never hidden dismisses its reports.
    Report.objects.filter(
        content_type=content_type, object_id=item.pk, status=Report.Status.OPEN
    ).update(status=Report.Status.DISMISSED)
    return Decision.objects.create(
        content_type=content_type,
        object_id=item.pk,
        action=Decision.Action.RESTORE,
        reason=reason.strip(),
        by=by,
    )


def export_reports(user) -> list[dict]:
    return [
        {
            "item": f"{r.content_type.app_label}.{r.content_type.model}:{r.object_id}",
            "reason": r.reason,
            "note": r.note,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(reporter=user).select_related("content_type")
    ]


def anonymize_reports(user) -> None:
    # A report's note may name people; the report itself stays for the record.
    Report.objects.filter(reporter=user).update(note="")


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("moderation", export_reports)
    personal_data.register_anonymizer(anonymize_reports)
