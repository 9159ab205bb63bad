"""Reads of the qualitative diagnosis: what a person may see, the open answers
of a round, and the dashboard's aggregates (computed in the database)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict

from polo.qualitative.models import Code, Coding, FocusGroup, Passage
from polo.surveys.models import Answer, FormVersion, Response, Round
from polo.surveys.selectors import campaigns_visible_to, responses_visible_to
from polo.territory.models import Region

QUOTES_PER_CODE = 3
QUOTE_ROWS_LIMIT = 600  # published quotes read for one dashboard, at most


def min_cell_size() -> int:
    """Public cells built on fewer distinct sources than this are suppressed."""
    default = getattr(settings, "POLO_SMALL_CELL", 5)
    return max(1, int(getattr(settings, "POLO_MIN_CELL_SIZE", default)))


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_coordinator or user.is_facilitator
    )


# --- What a person may see ----------------------------------------------------------


def focus_groups_visible_to(user) -> QuerySet[FocusGroup]:
    """rules.py's ``qualitative.view_focus_group``, for many sessions."""
    sessions = FocusGroup.objects.select_related(
        "municipality__region", "municipality__state", "community", "facilitator", "round"
    )
    if not _is_staff(user):
        return sessions.none()
    if user.is_coordinator:
        return sessions
    return sessions.filter(municipality__region__in=user.regions.all())


def passages_visible_to(user, passages: QuerySet[Passage] | None = None) -> QuerySet[Passage]:
    """Passages whose source this person may code: sessions of their regions,
    responses they may see."""
    passages = passages if passages is not None else Passage.objects.all()
    if not _is_staff(user):
        return passages.none()
    if user.is_coordinator:
        return passages
    return passages.filter(
        Q(focus_group__municipality__region__in=user.regions.all())
        | Q(response__in=responses_visible_to(user))
    )


def rounds_for_open_answers(user) -> QuerySet[Round]:
    """Rounds whose open answers this person may code."""
    if not _is_staff(user):
        return Round.objects.none()
    return (
        Round.objects.filter(campaign__in=campaigns_visible_to(user))
        .select_related("campaign__instrument")
        .order_by("campaign__title", "order")
    )


def codebook() -> QuerySet[Code]:
    return Code.objects.in_codebook_order()


# --- Open answers of a round ------------------------------------------------------------


@dataclass
class OpenQuestion:
    name: str
    label: str


def open_questions(round_: Round, language: str | None = None) -> list[OpenQuestion]:
    """The text questions of the form versions this round's responses answered."""
    versions = FormVersion.objects.filter(
        pk__in=Response.objects.filter(round=round_).values("form_version")
    ).order_by("-number")
    found: dict[str, OpenQuestion] = {}
    for version in versions:
        spec = version.form
        for node in spec.questions:
            if node.type == "text" and node.name not in found:
                found[node.name] = OpenQuestion(
                    node.name, spec.text(node.label, language) or node.name
                )
    return list(found.values())


def open_answers(user, round_: Round, questions: list[str]) -> QuerySet[Answer]:
    """Answers to text questions of the round, of responses this person may see,
    each with its coded passages (prefetched)."""
    responses = responses_visible_to(user, Response.objects.filter(round=round_))
    return (
        Answer.objects.filter(round=round_, name__in=questions, response__in=responses)
        .select_related("response__municipality__region", "response__form_version")
        .prefetch_related(
            Prefetch(
                "response__coded_passages",
                queryset=Passage.objects.prefetch_related(
                    Prefetch("codings", queryset=Coding.objects.select_related("code__parent"))
                ),
            )
        )
        .order_by("name", "response_id", "row")
    )


# --- The dashboard -----------------------------------------------------------------------


@dataclass
class DashboardFilters:
    round: Round | None = None
    region: Region | None = None

    @classmethod
    def from_params(cls, params: QueryDict, rounds: list[Round], regions: list[Region]):
        """Unknown or malformed values are ignored, never an error."""
        wanted_round = params.get("ronda", "")
        wanted_region = params.get("region", "")
        return cls(
            round=next((r for r in rounds if str(r.pk) == wanted_round), None),
            region=next((r for r in regions if r.slug == wanted_region), None),
        )


@dataclass
class Cell:
    passages: int = 0
    sources: int = 0
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed


@dataclass
class ThemeRow:
    code: Code
    cells: list[Cell]
    total: Cell
    quotes: list[Passage] = field(default_factory=list)


@dataclass
class Dashboard:
    regions: list[Region]  # the columns
    rows: list[ThemeRow]
    min_cell: int
    suppressing: bool
    sources: int  # distinct sessions and responses with coded passages

    @property
    def has_quotes(self) -> bool:
        return any(row.quotes for row in self.rows)

    @property
    def chart_max(self) -> int:
        return max((row.total.passages for row in self.rows if row.total.shown), default=0)


def counted_passages() -> QuerySet[Passage]:
    """Passages the analysis counts: of finished sessions, or of responses that
    were sent and not rejected."""
    return Passage.objects.filter(
        Q(focus_group__status=FocusGroup.Status.COMPLETE)
        | (
            Q(response__isnull=False)
            & ~Q(response__status__in=[Response.Status.DRAFT, Response.Status.REJECTED])
        )
    )


def rounds_with_qualitative_data() -> list[Round]:
    """The rounds that the dashboard's filter offers: those with coded passages."""
    counted = counted_passages().with_region().values("source_round_id")
    return list(
        Round.objects.filter(pk__in=counted)
        .select_related("campaign")
        .order_by("campaign__title", "order")
    )


def _filtered(passages: QuerySet[Passage], filters: DashboardFilters) -> QuerySet[Passage]:
    passages = passages.with_region()
    if filters.round is not None:
        passages = passages.filter(source_round_id=filters.round.pk)
    if filters.region is not None:
        passages = passages.filter(source_region_id=filters.region.pk)
    return passages


def dashboard(filters: DashboardFilters, regions: list[Region], *, suppress: bool) -> Dashboard:
    """Theme frequencies by region: for each code, in each region, the coded
    passages and the distinct sources (sessions plus responses) they come from;
    the published quotes of each code. Four queries whatever the size."""
    k = min_cell_size()
    columns = [filters.region] if filters.region else regions
    passages = _filtered(counted_passages(), filters)
    counts = (
        Coding.objects.filter(passage__in=passages.values("pk"))
        .annotate(
            region_id=Coalesce(
                "passage__focus_group__municipality__region_id",
                "passage__response__municipality__region_id",
            )
        )
        .values("code_id", "region_id")
        .annotate(
            passages=Count("passage_id", distinct=True),
            sessions=Count("passage__focus_group_id", distinct=True),
            responses=Count("passage__response_id", distinct=True),
        )
    )
    by_code: dict[int, dict[int | None, Cell]] = defaultdict(dict)
    for entry in counts:
        by_code[entry["code_id"]][entry["region_id"]] = Cell(
            entry["passages"], entry["sessions"] + entry["responses"]
        )
    codes = {code.pk: code for code in Code.objects.filter(pk__in=by_code).in_codebook_order()}
    totals = (
        Coding.objects.filter(passage__in=passages.values("pk"))
        .values("code_id")
        .annotate(
            passages=Count("passage_id", distinct=True),
            sessions=Count("passage__focus_group_id", distinct=True),
            responses=Count("passage__response_id", distinct=True),
        )
    )
    total_of = {
        entry["code_id"]: Cell(entry["passages"], entry["sessions"] + entry["responses"])
        for entry in totals
    }
    rows = []
    for code in codes.values():
        cells = [by_code[code.pk].get(region.pk, Cell()) for region in columns]
        row = ThemeRow(code=code, cells=cells, total=total_of.get(code.pk, Cell()))
        if suppress:
            _suppress(row, k)
        rows.append(row)
    _attach_quotes(rows, passages)
    sources = passages.aggregate(
        n=Count("focus_group_id", distinct=True) + Count("response_id", distinct=True)
    )["n"]
    return Dashboard(
        regions=columns, rows=rows, min_cell=k, suppressing=suppress, sources=sources or 0
    )


def _suppress(row: ThemeRow, k: int) -> None:
    """Hide cells built on fewer than ``k`` sources. When a row hides a single
    cell and shows its total, the total minus the others would give it away: the
    next smallest cell is hidden too (or the total, if no other can be)."""
    for cell in row.cells:
        cell.suppressed = 0 < cell.sources < k
    row.total.suppressed = 0 < row.total.sources < k
    hidden = [cell for cell in row.cells if cell.suppressed]
    if len(hidden) == 1 and not row.total.suppressed:
        others = [cell for cell in row.cells if cell.sources >= k]
        if others:
            min(others, key=lambda cell: cell.sources).suppressed = True
        else:
            row.total.suppressed = True


def _attach_quotes(rows: list[ThemeRow], passages: QuerySet[Passage]) -> None:
    if not rows:
        return
    wanted = {row.code.pk: row for row in rows}
    codings = (
        Coding.objects.filter(
            code_id__in=wanted, passage__in=passages.filter(is_published=True).values("pk")
        )
        .select_related(
            "passage__focus_group__municipality__region",
            "passage__focus_group__community",
            "passage__response__municipality__region",
            "passage__response__community",
        )
        .order_by("-passage__published_at", "-passage_id")[:QUOTE_ROWS_LIMIT]
    )
    for coding in codings:
        row = wanted[coding.code_id]
        if len(row.quotes) < QUOTES_PER_CODE:
            row.quotes.append(coding.passage)
