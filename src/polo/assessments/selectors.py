"""Reads of the self-assessment: what a person may see, an assessment's
profile (with the change since the previous one), the consensus table, the
advocacy route, and the aggregates that public and programme pages show.

Aggregates count each organisation once, by its latest completed assessment
(``Assessment.is_current``), and hide any figure computed from fewer than
``POLO_MIN_CELL_SIZE`` organisations (5 by default), plus, where one hidden
figure could be recovered from the total and the others, the next smallest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, FloatField, Max, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from polo.assessments import related, scoring
from polo.assessments.definition import (
    AREA_NAME_RE,
    SCALE_MAX,
    Definition,
    Route,
    definition_for,
)
from polo.assessments.models import AreaScore, Assessment, Invitation, PlanAction
from polo.directory.models import Organization, Theme
from polo.surveys.models import Attachment, Instrument, Response
from polo.surveys.rendering import drafts
from polo.territory.models import Municipality, Region

PROFILE_RELATED = (
    "organization__municipality",
    "response__form_version",
    "started_by",
    "facilitator",
    "previous",
)
# What the assessment's pages read of its relations: loading whole rows (an
# organisation's search text, a form version's XForm and spec) costs more
# than the page's queries. Anything else is read when used.
PROFILE_FIELDS = (
    *(
        f.name
        for f in Assessment._meta.concrete_fields
        if f.name not in {"organization", "response", "started_by", "facilitator", "previous"}
    ),
    "organization__name",
    "organization__status",
    "organization__municipality__region",
    "organization__municipality__name",
    "response__data",
    "response__status",
    "response__updated_at",
    "response__current_section",
    "response__round",
    "response__organization",
    "response__form_version__created_at",
    "response__form_version__version",
    "response__form_version__number",
    "started_by__full_name",
    "started_by__email",
    "facilitator__full_name",
    "facilitator__email",
    "previous__status",
    "previous__completed_at",
    "previous__overall_score",
    "previous__scored_version",
    "previous__organization",
)
SMALL = "small"
COMPLEMENTARY = "complementary"


def min_cell_size() -> int:
    default = getattr(settings, "POLO_SMALL_CELL", 5)
    return max(1, int(getattr(settings, "POLO_MIN_CELL_SIZE", default)))


# --- who sees what ----------------------------------------------------------------------


def assessments_visible_to(user, assessments: QuerySet | None = None) -> QuerySet[Assessment]:
    """Assessments this person may see: rules.py's ``assessments.view_assessment``."""
    assessments = assessments if assessments is not None else Assessment.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return assessments.none()
    if user.is_coordinator:
        return assessments
    allowed = Q(organization__memberships__user=user)
    if user.is_facilitator:
        allowed |= Q(organization__municipality__region__in=user.regions.all())
    return assessments.filter(pk__in=Assessment.objects.filter(allowed).values("pk"))


def organizations_of(user) -> list[Organization]:
    """The organisations this person belongs to, editors' first."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Organization.objects.filter(memberships__user=user)
        .exclude(status=Organization.Status.ARCHIVED)
        .select_related("municipality__region")
        .order_by("-memberships__is_editor", "name")
        .distinct()
    )


def pending_invitations(user) -> list[Invitation]:
    if not (user and user.is_authenticated):
        return []
    return list(
        Invitation.objects.filter(
            user=user,
            assessment__status=Assessment.Status.IN_PROGRESS,
            response__status=Response.Status.DRAFT,
        ).select_related("assessment__organization", "response")
    )


def current_instrument() -> Instrument | None:
    """The assessment instrument new assessments use: the Incidence Manual
    when installed, else the latest assessment instrument."""
    from polo.assessments.services import DEFAULT_SLUG

    instruments = Instrument.objects.filter(kind=Instrument.Kind.ASSESSMENT)
    return (
        instruments.filter(slug=DEFAULT_SLUG).first() or instruments.order_by("-created_at").first()
    )


# --- an assessment's profile -------------------------------------------------------------


@dataclass
class ItemView:
    name: str
    label: str
    weight: float
    level: int | None
    level_label: str
    weak: bool
    out_of_scale: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)

    @property
    def level_text(self) -> str:
        return "" if self.level is None else str(self.level)

    @property
    def css(self) -> str:
        if self.weak:
            return "as-weak"
        return "as-strong" if self.level == SCALE_MAX else ""

    @property
    def weight_text(self) -> str:
        """Written only when it is not 1."""
        if self.weight == 1:
            return ""
        return _("peso %(w)s") % {"w": f"{self.weight:g}"}


@dataclass
class AreaView:
    slug: str
    label: str
    description: str
    score: float | None
    band: str
    items_answered: int
    items_total: int
    previous: float | None = None
    change: float | None = None
    items: list[ItemView] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)


@dataclass
class Profile:
    assessment: Assessment
    definition: Definition
    result: scoring.Result
    areas: list[AreaView]
    overall: float | None
    previous: Assessment | None
    previous_overall: float | None
    strongest: list[AreaView]
    weakest: list[AreaView]
    exercises: list[tuple[str, str]]
    removed_areas: list[str] = field(default_factory=list)

    @property
    def weak_items(self) -> list[ItemView]:
        return [item for area in self.areas for item in area.items if item.weak]

    @property
    def overall_change(self) -> float | None:
        return scoring.change(self.overall, self.previous_overall)

    @property
    def has_previous(self) -> bool:
        return self.previous is not None and self.previous.is_completed


def assessments_for_pages() -> QuerySet[Assessment]:
    return Assessment.objects.select_related(*PROFILE_RELATED).only(*PROFILE_FIELDS)


def _attachments(response: Response) -> dict[str, list[Attachment]]:
    found: dict[str, list[Attachment]] = defaultdict(list)
    for attachment in response.attachments.all().order_by("pk"):
        found[attachment.name].append(attachment)
    return found


def _answer_text(definition: Definition, node, value: Any, language: str | None) -> str:
    if value in (None, ""):
        return ""
    if node.is_select:
        spec = definition.spec
        return ", ".join(spec.choice_label(node, part, language) for part in str(value).split())
    return str(value)


def profile(assessment: Assessment, *, language: str | None) -> Profile:
    """Everything the profile, the report and the exports show: a fixed number
    of queries whatever the instrument's size."""
    response = assessment.response
    definition = definition_for(response.form_version)
    result = scoring.score(definition, response.data)
    files = _attachments(response)
    previous = assessment.previous if assessment.previous_id else None
    previous_scores: dict[str, float] = {}
    if previous is not None and previous.is_completed:
        previous_scores = dict(
            AreaScore.objects.filter(assessment=previous).values_list("area", "score")
        )
    areas: list[AreaView] = []
    for area_result in result.areas:
        area = area_result.area
        view = AreaView(
            slug=area.slug,
            label=definition.text(area.label, language),
            description=definition.text(area.description, language),
            score=area_result.score,
            band=str(scoring.band(area_result.score)),
            items_answered=area_result.items_answered,
            items_total=area_result.items_total,
            previous=previous_scores.get(area.slug),
            files=[a for node in area.evidence for a in files.get(node.name, [])],
        )
        view.change = scoring.change(view.score, view.previous)
        for item in area.items:
            item_score = result.items[item.name]
            level = item.level_for(item_score.raw) if item_score.answered else None
            view.items.append(
                ItemView(
                    name=item.name,
                    label=definition.text(item.node.label, language),
                    weight=item.weight,
                    level=item_score.value,
                    level_label=definition.text(level.label, language) if level else "",
                    weak=item_score.weak,
                    out_of_scale=item_score.raw if item_score.out_of_scale else "",
                    evidence=[
                        (definition.text(node.label, language), text)
                        for node in item.evidence
                        if node.type not in {"file", "image"}
                        and (
                            text := _answer_text(
                                definition, node, response.data.get(node.name), language
                            )
                        )
                    ],
                    files=[a for node in item.evidence for a in files.get(node.name, [])],
                )
            )
        areas.append(view)
    by_slug = {view.slug: view for view in areas}
    exercises = [
        (definition.text(node.label, language), text)
        for node in definition.exercises
        if (text := _answer_text(definition, node, response.data.get(node.name), language))
    ]
    return Profile(
        assessment=assessment,
        definition=definition,
        result=result,
        areas=areas,
        overall=result.overall,
        previous=previous,
        previous_overall=previous.overall_score if previous is not None else None,
        strongest=[by_slug[a.area.slug] for a in result.strongest],
        weakest=[by_slug[a.area.slug] for a in result.weakest],
        exercises=exercises,
        removed_areas=sorted(set(previous_scores) - set(by_slug)),
    )


def history_of(organization: Organization) -> list[Assessment]:
    return list(
        Assessment.objects.filter(organization=organization)
        .select_related("started_by", "facilitator")
        .order_by("-started_at", "-pk")
    )


# --- the consensus table ---------------------------------------------------------------


@dataclass
class ConsensusItem:
    name: str
    label: str
    levels: list[tuple[str, str]]  # (value, label)
    consensus: str
    members: list[str]  # each invited member's level ("" unanswered), in column order
    voices: list[tuple[str, str]] = field(default_factory=list)  # (person, level)
    typed: str | None = None  # what was posted, when the page is drawn again
    error: str = ""
    saved_elsewhere: str | None = None  # on a conflict: the level saved meanwhile

    @property
    def shown(self) -> str:
        return self.typed if self.typed is not None else self.consensus

    @property
    def spread(self) -> bool:
        """Whether the members disagree by more than one level."""
        values = [int(v) for v in self.members if v.isdigit()]
        return len(values) > 1 and max(values) - min(values) > 1


@dataclass
class ConsensusArea:
    label: str
    items: list[ConsensusItem]


@dataclass
class ConsensusTable:
    areas: list[ConsensusArea]
    invitations: list[Invitation]
    version: int
    response_version: str


def consensus_table(assessment: Assessment, *, language: str | None) -> ConsensusTable:
    response = assessment.response
    definition = definition_for(response.form_version)
    invitations = list(
        assessment.invitations.select_related("user", "response").order_by("invited_at", "pk")
    )
    people = [invitation.user.full_name or invitation.user.email for invitation in invitations]
    areas = []
    for area in definition.areas:
        items = []
        for item in area.items:
            items.append(
                ConsensusItem(
                    name=item.name,
                    label=definition.text(item.node.label, language),
                    levels=[
                        (level.name, definition.text(level.label, language))
                        for level in item.levels
                    ],
                    consensus=str(response.data.get(item.name, "") or ""),
                    members=[
                        str(invitation.response.data.get(item.name, "") or "")
                        for invitation in invitations
                    ],
                )
            )
            items[-1].voices = list(zip(people, items[-1].members, strict=True))
        areas.append(ConsensusArea(definition.text(area.label, language), items))
    return ConsensusTable(
        areas=areas,
        invitations=invitations,
        version=assessment.version,
        response_version=drafts.version_of(response),
    )


# --- the advocacy route ------------------------------------------------------------------

ALLIES_LIMIT = 12


@dataclass
class RouteView:
    problem: str
    authority: str
    space: str
    first_step: str
    themes: list[Theme]
    theme_answer: str
    municipality: Municipality
    allies: list[Organization]
    allies_in_region: list[Organization]
    related: list[related.RelatedItem]
    areas: list[AreaView]
    weak_items: list[tuple[ItemView, list[str]]]  # (item, suggested actions)
    answered: bool


def _route_areas(definition: Definition) -> list[str]:
    """The areas the route reads (advocacy, participation): those whose items
    share a top-level group with a route question."""
    groups = {node.path[0] for node in definition.route.values() if node.path}
    return [
        area.slug
        for area in definition.areas
        if any(item.node.path and item.node.path[0] in groups for item in area.items)
    ]


def advocacy_route(assessment: Assessment, *, language: str | None) -> RouteView:
    found = profile(assessment, language=language)
    definition = found.definition
    data = assessment.response.data
    organization = assessment.organization

    def answer(role: str) -> str:
        node = definition.route.get(role)
        if node is None:
            return ""
        return _answer_text(definition, node, data.get(node.name), language)

    theme_node = definition.route.get(Route.THEME)
    theme_values = str(data.get(theme_node.name, "")).split() if theme_node else []
    themes = list(Theme.objects.filter(slug__in=theme_values))
    if not themes:
        themes = list(organization.themes.all())
    municipality = organization.municipality
    municipality_node = definition.route.get(Route.MUNICIPALITY)
    if municipality_node is not None and data.get(municipality_node.name):
        municipality = (
            Municipality.objects.filter(code=str(data[municipality_node.name]).strip())
            .select_related("region", "state")
            .first()
            or municipality
        )
    candidates = (
        Organization.objects.published()
        .exclude(pk=organization.pk)
        .exclude(kind=Organization.Kind.LOCAL_AUTHORITY)
        .filter(themes__in=themes)
        .select_related("municipality")
        .distinct()
        .order_by("name")
    )
    allies = list(
        candidates.filter(
            Q(municipality=municipality) | Q(coverage_municipalities=municipality)
        ).distinct()[:ALLIES_LIMIT]
    )
    in_region: list[Organization] = []
    if len(allies) < 3 and municipality.region_id is not None:
        in_region = list(
            candidates.filter(municipality__region_id=municipality.region_id)
            .exclude(pk__in=[ally.pk for ally in allies])
            .exclude(municipality=municipality)[:ALLIES_LIMIT]
        )
    slugs = set(_route_areas(definition))
    areas = [area for area in found.areas if area.slug in slugs]
    weak = [
        (item, [definition.text(a.label, language) for a in definition.items[item.name].actions])
        for area in areas
        for item in area.items
        if item.weak
    ]
    context = related.RouteContext(
        organization=organization,
        theme_slugs=tuple(theme.slug for theme in themes),
        municipality=municipality,
        problem=answer(Route.PROBLEM),
        language=language,
    )
    values = {
        role: answer(role)
        for role in (Route.PROBLEM, Route.AUTHORITY, Route.SPACE, Route.FIRST_STEP)
    }
    return RouteView(
        problem=values[Route.PROBLEM],
        authority=values[Route.AUTHORITY],
        space=values[Route.SPACE],
        first_step=values[Route.FIRST_STEP],
        themes=themes,
        theme_answer=answer(Route.THEME),
        municipality=municipality,
        allies=allies,
        allies_in_region=in_region,
        related=related.related_content(context),
        areas=areas,
        weak_items=weak,
        answered=any(values.values()),
    )


# --- the plan -----------------------------------------------------------------------------


def plan_actions(assessment: Assessment) -> list[PlanAction]:
    return list(
        assessment.plan_actions.select_related("created_by")
        .prefetch_related("comments__author")
        .order_by("due_on", "pk")
    )


# --- aggregates ---------------------------------------------------------------------------


@dataclass
class AggregateCell:
    n: int
    mean: float | None
    suppressed: str = ""

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.mean is not None


@dataclass
class AggregateRow:
    key: str
    label: str
    n: int
    cells: list[AggregateCell]
    overall: AggregateCell
    position: int = 0


@dataclass
class AggregateTable:
    by: str
    title: str
    areas: list[tuple[str, str]]  # (slug, label)
    rows: list[AggregateRow]
    total: AggregateRow
    min_size: int
    overlapping: bool


BREAKDOWNS = {
    "region": "organization__municipality__region",
    "tipo": "organization__kind",
    "red": "organization__network_memberships__network",
    "tema": "organization__themes",
}
# An organisation is in several networks or themes: those groups overlap, so
# their total is counted apart; regions and kinds partition the set, and the
# total is the groups' weighted sum.
OVERLAPPING = {"red", "tema"}


def breakdown_titles() -> dict[str, str]:
    return {
        "region": _("Por región"),
        "tipo": _("Por tipo de organización"),
        "red": _("Por red"),
        "tema": _("Por tema"),
    }


def area_labels(language: str | None) -> list[tuple[str, str]]:
    """(slug, label) of the areas of each assessment instrument's latest
    version, in their order (an area only older versions had is left out)."""
    labels: dict[str, str] = {}
    for instrument in Instrument.objects.filter(kind=Instrument.Kind.ASSESSMENT).order_by("pk"):
        version = instrument.versions.only("pk", "created_at").order_by("-number").first()
        if version is None:
            continue
        definition = definition_for(version)
        for area in definition.areas:
            labels.setdefault(area.slug, definition.text(area.label, language))
    return list(labels.items())


def _group_labels(by: str, keys: Iterable[Any], language: str | None) -> dict[Any, tuple[str, int]]:
    keys = [key for key in keys if key is not None]
    english = (language or "").startswith("en")
    if by == "region":
        regions = Region.objects.filter(pk__in=keys).order_by("ordering", "name")
        return {r.pk: (r.name, n) for n, r in enumerate(regions)}
    if by == "tipo":
        order = {value: n for n, value in enumerate(Organization.Kind.values)}
        return {k: (str(Organization.Kind(k).label), order[k]) for k in keys if k in order}
    if by == "red":
        networks = Organization.objects.filter(pk__in=keys).order_by("name")
        return {o.pk: (o.acronym or o.name, n) for n, o in enumerate(networks)}
    themes = Theme.objects.filter(pk__in=keys).order_by("name")
    return {
        t.pk: ((t.name_en if english and t.name_en else t.name), n) for n, t in enumerate(themes)
    }


def _pooled(pairs) -> tuple[int, float | None]:
    """Count and mean of groups that partition a set, from each group's."""
    n = sum(count for count, _mean in pairs)
    total = sum(count * mean for count, mean in pairs if mean is not None)
    return n, (total / n if n else None)


AGGREGATE_SECONDS = 600


def aggregate(
    by: str = "region", *, language: str | None = None, fresh: bool = False
) -> AggregateTable:
    """Mean score per area and overall, by ``by`` (region, tipo, red, tema),
    over each organisation's latest completed assessment; small groups hidden.

    Kept in the cache for ten minutes, under a key that changes as soon as an
    assessment is completed or scored again (the newest area score's id and
    the number of current assessments, one cheap query): the figures change
    only then, or when an organisation changes its themes or networks, which
    the ten minutes cover."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    stamp = (
        AreaScore.objects.aggregate(last=Max("pk"))["last"],
        Assessment.objects.current().count(),
    )
    key = f"assessments:aggregate:{by}:{language}:{min_cell_size()}:{stamp[0]}:{stamp[1]}"
    table = None if fresh else cache.get(key)
    if table is None:
        table = _aggregate(by, language=language)
        cache.set(key, table, AGGREGATE_SECONDS)
    return table


def _area_measures(slugs: list[str]) -> dict[str, Any]:
    """Count and mean of each area's score, read from Assessment.scores."""
    measures: dict[str, Any] = {"n": Count("pk"), "overall": Avg("overall_score")}
    for position, slug in enumerate(slugs):
        value = Cast(KT(f"scores__{slug}"), FloatField())
        measures[f"n{position}"] = Count(value)
        measures[f"m{position}"] = Avg(value)
    return measures


def _aggregate(by: str, *, language: str | None) -> AggregateTable:
    """The figures themselves: one grouped query over the current assessments
    (one row each, their area scores in a JSON column), whatever their number."""
    lookup = BREAKDOWNS[by]
    areas = [(slug, label) for slug, label in area_labels(language) if AREA_NAME_RE.match(slug)]
    slugs = [slug for slug, _label in areas]
    current = Assessment.objects.current().order_by()
    measures = _area_measures(slugs)

    def split(values: dict) -> tuple[tuple[int, float | None], dict[str, tuple[int, float]]]:
        by_area = {
            slug: (values[f"n{i}"], values[f"m{i}"])
            for i, slug in enumerate(slugs)
            if values[f"n{i}"]
        }
        return (values["n"], values["overall"]), by_area

    overall: dict[Any, tuple[int, float | None]] = {}
    by_group: dict[Any, dict[str, tuple[int, float]]] = {}
    for values in current.values(lookup).annotate(**measures):
        overall[values[lookup]], by_group[values[lookup]] = split(values)
    if by in OVERLAPPING:
        (total_n, total_mean), totals = split(current.aggregate(**measures))
    else:
        totals = {
            slug: _pooled([group[slug] for group in by_group.values() if slug in group])
            for slug in slugs
        }
        total_n, total_mean = _pooled(list(overall.values()))
    labels = _group_labels(by, overall, language)
    minimum = min_cell_size()

    def cell(pair: tuple[int, float] | None) -> AggregateCell:
        n, mean = pair if pair else (0, None)
        return AggregateCell(n=n, mean=mean, suppressed=SMALL if n < minimum else "")

    rows = []
    for key, (n, mean) in overall.items():
        if key is None:
            if by != "region":
                continue  # organisations in no network, or without a theme
            label, position = _("Fuera de las regiones del programa"), len(labels)
        elif key in labels:
            label, position = labels[key]
        else:
            continue
        rows.append(
            AggregateRow(
                key=str(key or ""),
                label=label,
                n=n,
                cells=[cell(by_group[key].get(slug)) for slug, _label in areas],
                overall=cell((n, mean)),
                position=position,
            )
        )
    rows.sort(key=lambda row: (row.position, row.label))
    total = AggregateRow(
        key="",
        label=_("Todo el programa"),
        n=total_n,
        cells=[cell(totals.get(slug)) for slug, _label in areas],
        overall=cell((total_n, total_mean)),
    )
    for column in range(len(areas)):
        protect([row.cells[column] for row in rows], total.cells[column])
    protect([row.overall for row in rows], total.overall)
    return AggregateTable(
        by=by,
        title=breakdown_titles()[by],
        areas=areas,
        rows=rows,
        total=total,
        min_size=minimum,
        overlapping=by in OVERLAPPING,
    )


def protect(cells: list[AggregateCell], total: AggregateCell) -> None:
    """Complementary suppression: a hidden figure must not be recoverable from
    the total and the others (each figure's n is shown, so n × mean is a sum).
    While exactly one figure is hidden and the total shown, or the total is
    hidden and all its parts shown, hide the shown figure of fewest
    organisations too. Suppression only grows, so this ends."""
    while True:
        hidden = [c for c in cells if c.suppressed]
        shown = [c for c in cells if not c.suppressed and c.n > 0]
        if not shown:
            return
        if (len(hidden) == 1 and not total.suppressed) or (total.suppressed and not hidden):
            smallest = min(shown, key=lambda c: c.n)
            smallest.suppressed = COMPLEMENTARY
            continue
        return
