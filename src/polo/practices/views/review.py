"""The reviewers' side, as the directory's profiles are reviewed: a queue of
the practices in review in one's regions, and the decision (publish, or return
with the reason the editors will read), with the directory's own review form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from polo.directory.forms import ReviewForm
from polo.directory.views.editing import _form_errors
from polo.practices import selectors, services
from polo.practices.views.access import with_practice

QUEUE_LIMIT = 100


@never_cache
@login_required
@require_safe
@permission_required("practices.review_queue", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.review_queue(request.user)
    return render(
        request,
        "practices/review_queue.html",
        {"practices": queue[:QUEUE_LIMIT], "count": queue.count(), "limit": QUEUE_LIMIT},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@with_practice("practices.review_practice")
def practice_review(request: HttpRequest, practice) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_review(
                practice=practice,
                by=request.user,
                approve=form.approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if form.approve:
                messages.success(request, _("«%(t)s» se publicó.") % {"t": practice.title})
            else:
                messages.success(request, _("Se devolvió a la organización, con tu nota."))
            return redirect("practices:review_queue")
    return render(
        request,
        "practices/practice_review.html",
        {
            "practice": practice,
            "organization": practice.organization,
            "form": form,
            "themes": practice.themes.all(),
            "evidence": practice.evidence.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("revision/", review_queue, name="review_queue"),
    path("<slug:slug>/revisar/", practice_review, name="practice_review"),
]
