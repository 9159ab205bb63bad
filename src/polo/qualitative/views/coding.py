"""Coding beyond a session's page: the open answers of a survey round, the list
of coded passages, one passage (its codes), and publishing it as a quote."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from polo.qualitative import forms, selectors, services
from polo.qualitative.models import Coding, Passage
from polo.qualitative.views._shared import (
    GET_POST,
    form_errors,
    passage_filters,
    passage_for,
    posted_pk,
)
from polo.surveys.models import Response, Round
from polo.territory.models import Region

ANSWERS_PAGE_SIZE = 25
PASSAGES_PAGE_SIZE = 50
CONTEXT_CHARS = 300


# --- Open answers of a round ----------------------------------------------------------


@never_cache
@require_http_methods(GET_POST)
@login_required
def open_answers(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The text answers of a round, of responses this person may see, each with
    its coded passages and a form to code it (whole, or an exact passage)."""
    round_ = get_object_or_404(Round.objects.select_related("campaign__instrument"), pk=round_pk)
    if not request.user.has_perm("qualitative.view_open_answers", round_):
        raise PermissionDenied
    questions = selectors.open_questions(round_, get_language())
    names = [question.name for question in questions]
    chosen = request.GET.get("pregunta", "")
    wanted = [chosen] if chosen in names else names
    failed = None
    if request.method == "POST":
        form = forms.AnswerCodingForm(request.POST)
        response = _response_to_code(request, round_)
        if form.is_valid():
            start, end = form.offsets()
            try:
                passage = services.passage_code_answer(
                    response=response,
                    question=form.cleaned_data["question"],
                    row=form.cleaned_data["row"],
                    by=request.user,
                    codes=form.cleaned_data["codes"],
                    passage=form.cleaned_data["passage"],
                    start=start,
                    end=end,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Se codificó la respuesta con: %(codes)s.")
                    % {"codes": ", ".join(str(code) for code in passage.codes.all())},
                )
                return redirect(
                    f"{request.get_full_path()}"
                    f"#respuesta-{passage.response_id}-{passage.question}-{passage.row}"
                )
        failed = {
            "response": response.pk,
            "question": form.data.get("question", ""),
            "row": form.data.get("row", ""),
            "passage": form.data.get("passage", ""),
            "codes": {value for value in form.data.getlist("codes") if value.isdigit()},
            "errors": [error for errors in form.errors.values() for error in errors],
        }
    answers = selectors.open_answers(request.user, round_, wanted)
    page = Paginator(answers, ANSWERS_PAGE_SIZE).get_page(request.GET.get("pagina"))
    labels = {question.name: question.label for question in questions}
    items = []
    for index, answer in enumerate(page):
        passages = [
            passage
            for passage in answer.response.coded_passages.all()
            if passage.question == answer.name and passage.row == answer.row
        ]
        for passage in passages:
            passage.changed = answer.value[passage.start : passage.end] != passage.text
        is_failed = bool(
            failed
            and failed["response"] == answer.response_id
            and failed["question"] == answer.name
            and failed["row"] == str(answer.row)
        )
        items.append(
            {
                "answer": answer,
                "label": labels.get(answer.name, answer.name),
                "prefix": f"a{index}",
                "passages": passages,
                "failed": failed if is_failed else None,
            }
        )
    return render(
        request,
        "qualitative/open_answers.html",
        {
            "round": round_,
            "questions": questions,
            "chosen": chosen if chosen in names else "",
            "page": page,
            "items": items,
            "codes": list(selectors.codebook().filter(is_active=True)),
            "failed": failed,
            "query": urlencode({"pregunta": chosen}) if chosen in names else "",
        },
        status=400 if failed else 200,
    )


def _response_to_code(request: HttpRequest, round_: Round) -> Response:
    pk = posted_pk(request, "response")
    response = (
        Response.objects.select_related("form_version", "municipality", "round__campaign")
        .filter(round=round_, pk=pk)
        .first()
    )
    if response is None or not request.user.has_perm("surveys.view_response", response):
        raise Http404
    if not request.user.has_perm("qualitative.code_response", response):
        raise PermissionDenied
    return response


# --- Coded passages --------------------------------------------------------------------


@never_cache
@require_safe
@login_required
@permission_required("qualitative.list_passages", raise_exception=True)
def passages(request: HttpRequest) -> HttpResponse:
    visible = selectors.passages_visible_to(request.user)
    found, chosen, query = passage_filters(request, visible)
    found = (
        found.select_related(
            "focus_group__municipality__region",
            "response__municipality__region",
            "response__round__campaign",
        )
        .prefetch_related(
            Prefetch("codings", queryset=Coding.objects.select_related("code__parent"))
        )
        .order_by("-coded_at", "-pk")
    )
    page = Paginator(found, PASSAGES_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "qualitative/passage_list.html",
        {
            "page": page,
            "chosen": chosen,
            "query": query,
            "codes": list(selectors.codebook()),
            "regions": list(Region.objects.order_by("ordering", "name")),
            "export_urls": [
                (label, reverse("qualitative:export", args=[fmt]) + (f"?{query}" if query else ""))
                for fmt, label in (("csv", "CSV"), ("xlsx", "XLSX"))
            ],
        },
    )


def _source_context(passage: Passage) -> dict:
    """The words around the passage in its source, when they are still there."""
    if passage.focus_group_id:
        text = passage.focus_group.notes
    else:
        text = services.answer_text(passage.response, passage.question, passage.row) or ""
    if text[passage.start : passage.end] != passage.text:
        return {"changed": True}
    before_start = max(passage.start - CONTEXT_CHARS, 0)
    after_end = min(passage.end + CONTEXT_CHARS, len(text))
    return {
        "changed": False,
        "before": ("…" if before_start else "") + text[before_start : passage.start],
        "after": text[passage.end : after_end] + ("…" if after_end < len(text) else ""),
    }


@never_cache
@require_http_methods(GET_POST)
@login_required
def passage(request: HttpRequest, pk: int) -> HttpResponse:
    """One coded passage: where it comes from, its codes (to change), and, for
    coordinators, the quote."""
    passage = passage_for(request, pk)
    form = forms.PassageCodesForm(request.POST or None, passage=passage)
    if request.method == "POST" and form.is_valid():
        try:
            services.passage_set_codes(
                passage=passage, codes=form.cleaned_data["codes"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Se guardaron los temas del fragmento."))
            return redirect(passage)
    can_publish = request.user.has_perm("qualitative.publish_quote", passage)
    quote_form = None
    if can_publish:
        quote_form = forms.QuoteForm(
            initial={
                "published_text": passage.published_text or passage.text,
                "attribution_sex": passage.attribution_sex,
                "attribution_age": passage.attribution_age,
                "attribution_place": passage.attribution_place or Passage.Attribution.REGION,
            }
        )
    return render(
        request,
        "qualitative/passage_detail.html",
        {
            "passage": passage,
            "form": form,
            "quote_form": quote_form,
            "context": _source_context(passage),
            "codes": [coding.code for coding in passage.codings.select_related("code__parent")],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _source_url(passage: Passage) -> str:
    if passage.focus_group_id:
        return passage.focus_group.get_absolute_url()
    return reverse("qualitative:open_answers", args=[passage.response.round_id])


@require_POST
@login_required
def passage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    passage = passage_for(request, pk)
    back = _source_url(passage)
    services.passage_delete(passage=passage, by=request.user)
    messages.success(request, _("Se eliminó el fragmento codificado."))
    return redirect(back)


@never_cache
@require_http_methods(GET_POST)
@login_required
def quote(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a passage as a quote (or withdraw it): what the public reads."""
    passage = passage_for(request, pk, "qualitative.publish_quote")
    if request.method == "POST" and request.POST.get("action") == "retirar":
        services.quote_unpublish(passage=passage, by=request.user)
        messages.success(request, _("La cita ya no es pública."))
        return redirect(passage)
    form = forms.QuoteForm(
        request.POST or None,
        initial={
            "published_text": passage.published_text or passage.text,
            "attribution_sex": passage.attribution_sex,
            "attribution_age": passage.attribution_age,
            "attribution_place": passage.attribution_place or Passage.Attribution.REGION,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_publish(
                passage=passage,
                by=request.user,
                text=form.cleaned_data["published_text"],
                sex=form.cleaned_data["attribution_sex"],
                age=form.cleaned_data["attribution_age"],
                place=form.cleaned_data["attribution_place"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("La cita está publicada en el tablero."))
            return redirect(passage)
    return render(
        request,
        "qualitative/quote_form.html",
        {"passage": passage, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
    path("rondas/<int:round_pk>/respuestas-abiertas/", open_answers, name="open_answers"),
    path("fragmentos/", passages, name="passages"),
    path("fragmentos/<int:pk>/", passage, name="passage"),
    path("fragmentos/<int:pk>/eliminar/", passage_delete, name="passage_delete"),
    path("fragmentos/<int:pk>/cita/", quote, name="quote"),
]
