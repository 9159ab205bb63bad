"""Demo organisations: the programme's actors, and a national set for benchmarks.

Programme scale (the seed's figures): 190 CSOs and 50 collectives spread over the
six regions by population, most in the main cities; 7 academic institutions,
3 networks (one per state) and the municipal governments of the main
municipalities of each region. National scale adds organisations in every
municipality of Mexico, weighted by population, up to ``scale.national_size``.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from polo.demo import DemoError, Scale, texts
from polo.demo import names as n
from polo.demo.places import (
    all_municipalities,
    apportion,
    capital_weights,
    programme_regions,
    sample_weighted,
)
from polo.directory.models import (
    Alliance,
    ContactPoint,
    KeyCommunity,
    Language,
    NetworkMembership,
    Organization,
    Population,
    Theme,
)
from polo.territory.models import Community, Municipality, Region

Kind = Organization.Kind
Status = Organization.Status

CSO_COUNT = 190
COLLECTIVE_COUNT = 50

# Each region's share of the CSOs and collectives (Valles Centrales and Puebla
# are the largest; every region has a real presence).
REGION_SHARES = {
    "valles-centrales": 26,
    "mixteca-huajuapan": 13,
    "tehuacan": 12,
    "puebla": 21,
    "acapulco": 13,
    "montana": 15,
}

# (name, acronym, municipality key, founded, share of the 1,000 students).
ACADEMIC_INSTITUTIONS = [
    ("Universidad Autónoma Benito Juárez de Oaxaca", "UABJO", "20067", 1955, 22),
    ("Benemérita Universidad Autónoma de Puebla", "BUAP", "21114", 1937, 24),
    ("Universidad Autónoma de Guerrero", "UAGro", "12001", 1960, 16),
    ("Universidad Tecnológica de la Mixteca", "UTM", "20039", 1990, 10),
    ("Universidad Iberoamericana Puebla", "IBERO Puebla", "21119", 1983, 10),
    ("Universidad Intercultural del Estado de Guerrero", "UIEG", "12041", 2007, 8),
    ("Instituto Tecnológico de Tehuacán", "ITTEH", "21156", 1975, 10),
]

# (state key, name, acronym, municipality key): the three state networks.
NETWORKS = [
    ("20", "Red Polo Oaxaca por la Ciudadanía Participativa", "Red Polo Oaxaca", "20067"),
    ("21", "Red Polo Puebla por la Ciudadanía Participativa", "Red Polo Puebla", "21114"),
    ("12", "Red Polo Guerrero por la Ciudadanía Participativa", "Red Polo Guerrero", "12066"),
]
NETWORK_NAMES = {name for _state, name, _acronym, _code in NETWORKS}
LOCAL_AUTHORITIES_PER_REGION = 2

# Themes every kind of organisation works on more often, and each region's
# emphases (La Montaña: indigenous peoples and human rights; Acapulco: security).
THEME_WEIGHTS = {
    "derechos-humanos": 3,
    "genero-derechos-mujeres": 3,
    "ninez-juventud": 3,
    "pueblos-indigenas": 2,
    "medio-ambiente-territorio": 3,
    "salud": 2,
    "educacion": 3,
    "desarrollo-economico": 3,
    "migracion": 1,
    "seguridad-construccion-paz": 2,
    "transparencia-rendicion-cuentas": 1,
    "cultura": 2,
    "participacion-ciudadana": 3,
}
REGION_THEME_BOOSTS = {
    "valles-centrales": {"pueblos-indigenas": 3, "cultura": 3, "genero-derechos-mujeres": 2},
    "mixteca-huajuapan": {"migracion": 6, "pueblos-indigenas": 3, "agua-alimentacion": 3},
    "tehuacan": {"desarrollo-economico": 4, "medio-ambiente-territorio": 3, "migracion": 2},
    "puebla": {
        "transparencia-rendicion-cuentas": 4,
        "participacion-ciudadana": 3,
        "discapacidad": 2,
        "diversidad-sexual": 2,
    },
    "acapulco": {
        "seguridad-construccion-paz": 6,
        "gestion-riesgos": 3,
        "genero-derechos-mujeres": 2,
    },
    "montana": {
        "pueblos-indigenas": 6,
        "derechos-humanos": 4,
        "migracion": 3,
        "salud": 2,
        "agua-alimentacion": 2,
    },
}
THEME_COUNT_WEIGHTS = {1: 35, 2: 45, 3: 20}

# National scale: the mix of kinds of organisation across Mexico.
NATIONAL_KINDS = {
    Kind.CSO: 74,
    Kind.COLLECTIVE: 18,
    Kind.COMMUNITY: 5,
    Kind.NETWORK: 1,
    Kind.PUBLIC_BODY: 2,
}


@dataclass
class Batch:
    """Organisations to create, each with its theme slugs; names are the key."""

    organizations: list[Organization] = field(default_factory=list)
    themes: list[list[str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def add(self, organization: Organization, themes: list[str]) -> None:
        self.organizations.append(organization)
        self.themes.append(themes)
        self.names.add(organization.name)


def populate(*, rng: random.Random, scale: Scale, stdout: TextIO) -> None:
    theme_ids = dict(Theme.objects.values_list("slug", "id"))
    if not theme_ids:
        raise DemoError("No hay temas: aplica las migraciones (`polo migrate`).")
    # The profiles' details come from a generator of their own, seeded from
    # this step's seed and each organisation's name: they do not depend on the
    # scale nor on which organisations exist already, and drawing them does
    # not change the names and themes drawn below.
    details_seed = hashlib.sha256(repr(rng.getstate()).encode()).hexdigest()[:16]
    regions = programme_regions()
    batch = Batch()
    _programme_actors(batch, rng, regions, theme_ids)
    if scale.is_national:
        _national_organizations(
            batch, rng, scale.national_size - len(batch.organizations), theme_ids
        )
    created = _create_missing(batch, theme_ids, details_seed)
    stdout.write(
        f"  Organizaciones: {created} nuevas, {len(batch.organizations) - created} ya existían.\n"
    )
    _populate_details(batch=batch, regions=regions, seed=details_seed, stdout=stdout)


def _programme_actors(
    batch: Batch, rng: random.Random, regions: dict[Region, list[Municipality]], theme_ids: dict
) -> None:
    by_code = {m.code: m for municipalities in regions.values() for m in municipalities}
    region_list = list(regions)
    shares = [REGION_SHARES.get(region.slug, 10) for region in region_list]
    for kind, total in ((Kind.CSO, CSO_COUNT), (Kind.COLLECTIVE, COLLECTIVE_COUNT)):
        for region, count in zip(region_list, apportion(total, shares), strict=True):
            municipalities = regions[region]
            weights = capital_weights(municipalities)
            for municipality in rng.choices(municipalities, weights=weights, k=count):
                themes = _pick_themes(rng, theme_ids, region.slug)
                _add_organization(
                    batch,
                    rng,
                    kind=kind,
                    municipality=municipality,
                    themes=themes,
                    region_slug=region.slug,
                )

    for name, acronym, code, founded, _share in ACADEMIC_INSTITUTIONS:
        municipality = by_code.get(code) or _main_of_state(regions, code[:2])
        if municipality is None:
            continue
        batch.add(
            Organization(
                name=name,
                acronym=acronym,
                kind=Kind.ACADEMIC,
                status=Status.PUBLISHED,
                municipality=municipality,
                founded_year=founded,
                description=texts.academic_description(
                    name=name, municipality=municipality.name, state=municipality.state.name
                ),
            ),
            ["educacion", "participacion-ciudadana"],
        )

    for state_code, name, acronym, code in NETWORKS:
        municipality = by_code.get(code) or _main_of_state(regions, state_code)
        if municipality is None:
            continue
        batch.add(
            Organization(
                name=name,
                acronym=acronym,
                kind=Kind.NETWORK,
                status=Status.PUBLISHED,
                municipality=municipality,
                founded_year=2018,
                description=(
                    f"Red de organizaciones de la sociedad civil y colectivos de "
                    f"{municipality.state.name}, creada y fortalecida por el programa Polo "
                    "para intercambiar buenas prácticas, construir agendas comunes y "
                    "dialogar con las autoridades locales."
                ),
            ),
            ["participacion-ciudadana", "derechos-humanos", "seguridad-construccion-paz"],
        )

    for municipalities in regions.values():
        for municipality in municipalities[:LOCAL_AUTHORITIES_PER_REGION]:
            batch.add(
                Organization(
                    name=f"H. Ayuntamiento de {municipality.name}",
                    kind=Kind.LOCAL_AUTHORITY,
                    status=Status.PUBLISHED,
                    municipality=municipality,
                    description=texts.local_authority_description(
                        municipality=municipality.name, state=municipality.state.name
                    ),
                ),
                ["transparencia-rendicion-cuentas", "participacion-ciudadana"],
            )


def _national_organizations(batch: Batch, rng: random.Random, total: int, theme_ids: dict) -> None:
    if total <= 0:
        return
    municipalities = all_municipalities()
    weights = [float(max(m.population, 1)) for m in municipalities]
    # One organisation in every municipality first when there are enough to go
    # round, so that the national set truly covers the whole country.
    base = 1 if total >= 2 * len(municipalities) else 0
    counts = apportion(total - base * len(municipalities), weights)
    kinds, kind_weights = list(NATIONAL_KINDS), list(NATIONAL_KINDS.values())
    for municipality, count in zip(municipalities, counts, strict=True):
        region_slug = municipality.region.slug if municipality.region else None
        for kind in rng.choices(kinds, weights=kind_weights, k=count + base):
            themes = _pick_themes(rng, theme_ids, region_slug)
            _add_organization(
                batch,
                rng,
                kind=kind,
                municipality=municipality,
                themes=themes,
                region_slug=region_slug,
                place=f"de {municipality.name}",
            )


NAME_MAKERS = {
    Kind.COLLECTIVE: n.collective_name,
    Kind.COMMUNITY: n.community_name,
    Kind.PUBLIC_BODY: n.public_body_name,
}


def _add_organization(
    batch: Batch,
    rng: random.Random,
    *,
    kind: str,
    municipality: Municipality,
    themes: list[str],
    region_slug: str | None,
    place: str | None = None,
) -> None:
    make_name = NAME_MAKERS.get(kind, n.cso_name)
    for _attempt in range(8):
        base = make_name(rng, themes=themes, region_slug=region_slug, place=place)
        name = f"{base} {rng.choice(n.LEGAL_FORMS)}" if kind == Kind.CSO else base
        if name not in batch.names:
            break
    section = 2
    while name in batch.names:  # names are the demo's natural key: keep them unique
        name = f"{base}, sección {section}"
        section += 1
    founded = rng.randint(2008, 2021) if kind == Kind.COLLECTIVE else rng.randint(1985, 2020)
    status = rng.choices([Status.PUBLISHED, Status.PENDING, Status.DRAFT], [88, 7, 5])[0]
    batch.add(
        Organization(
            name=name[:255],
            acronym=n.acronym(base) if kind == Kind.CSO else "",
            kind=kind,
            status=status,
            municipality=municipality,
            founded_year=founded,
            description=texts.organization_description(
                rng,
                kind=kind,
                themes=themes,
                municipality=municipality.name,
                state=municipality.state.name,
                founded_year=founded,
            ),
        ),
        themes,
    )


def _pick_themes(rng: random.Random, theme_ids: dict, region_slug: str | None) -> list[str]:
    boosts = REGION_THEME_BOOSTS.get(region_slug or "", {})
    slugs = sorted(theme_ids)
    weights = [THEME_WEIGHTS.get(slug, 1) + boosts.get(slug, 0) for slug in slugs]
    count = rng.choices(list(THEME_COUNT_WEIGHTS), weights=THEME_COUNT_WEIGHTS.values())[0]
    return sample_weighted(rng, slugs, weights, count)


def _main_of_state(
    regions: dict[Region, list[Municipality]], state_code: str
) -> Municipality | None:
    candidates = [ms[0] for region, ms in regions.items() if region.state.code == state_code]
    return candidates[0] if candidates else None


def _create_missing(batch: Batch, theme_ids: dict, details_seed: str) -> int:
    """Insert the organisations whose names are not taken yet, with their themes."""
    existing = set(Organization.objects.values_list("name", flat=True))
    new = [
        (org, themes)
        for org, themes in zip(batch.organizations, batch.themes, strict=True)
        if org.name not in existing
    ]
    if not new:
        return 0
    _registry_fields([org for org, _themes in new], seed=details_seed)
    theme_names = dict(Theme.objects.values_list("slug", "name"))
    for org, themes in new:
        org.refresh_search_fields(theme_names=[theme_names[slug] for slug in themes])
    created = Organization.objects.bulk_create([org for org, _themes in new], batch_size=2000)
    Through = Organization.themes.through
    links = [
        Through(organization_id=org.pk, theme_id=theme_ids[slug])
        for org, (_org, themes) in zip(created, new, strict=True)
        for slug in themes
        if slug in theme_ids
    ]
    Through.objects.bulk_create(links, batch_size=5000)
    return len(created)


def academic_institutions() -> list[tuple[Organization, int]]:
    """The demo's universities with their share of the students, as created."""
    shares = {name: share for name, _a, _c, _f, share in ACADEMIC_INSTITUTIONS}
    found = Organization.objects.filter(kind=Kind.ACADEMIC, name__in=shares).select_related(
        "municipality"
    )
    return sorted(((org, shares[org.name]) for org in found), key=lambda pair: pair[0].name)


# --- The profiles' details: registry fields, populations, languages, coverage,
# contacts, networks, alliances and key communities. Each kind of detail is
# added only to organisations (or regions) that have none yet, and drawn from a
# generator seeded with the organisation's name, so that a second run writes
# nothing and the same seed always gives the same details.

LEGAL_FORM_SUFFIXES = {
    "A.C.": Organization.LegalForm.AC,
    "I.A.P.": Organization.LegalForm.IAP,
    "S.C.": Organization.LegalForm.SC,
}
KIND_LEGAL_FORMS = {
    Kind.COLLECTIVE: Organization.LegalForm.NONE,
    Kind.COMMUNITY: Organization.LegalForm.NONE,
    Kind.LOCAL_AUTHORITY: Organization.LegalForm.PUBLIC,
    Kind.PUBLIC_BODY: Organization.LegalForm.PUBLIC,
    Kind.NETWORK: Organization.LegalForm.AC,
}
SIZE_BANDS = {
    Kind.CSO: {"1-5": 30, "6-15": 45, "16-50": 20, "51+": 5},
    Kind.COLLECTIVE: {"1-5": 60, "6-15": 35, "16-50": 5},
    Kind.COMMUNITY: {"1-5": 30, "6-15": 50, "16-50": 20},
    Kind.NETWORK: {"6-15": 30, "16-50": 50, "51+": 20},
    Kind.ACADEMIC: {"51+": 1},
    Kind.LOCAL_AUTHORITY: {"51+": 1},
    Kind.PUBLIC_BODY: {"6-15": 40, "16-50": 60},
}
RFC_SHARE, CLUNI_SHARE, COORDINATES_SHARE = 0.7, 0.5, 0.6

# Who each theme mostly serves (Population slugs).
THEME_POPULATIONS = {
    "derechos-humanos": [
        "personas-privadas-de-la-libertad",
        "personas-migrantes",
        "personas-en-situacion-de-calle",
        "pueblos-indigenas",
    ],
    "genero-derechos-mujeres": ["mujeres"],
    "ninez-juventud": ["ninas-ninos", "adolescentes-juventudes"],
    "pueblos-indigenas": ["pueblos-indigenas"],
    "medio-ambiente-territorio": ["familias-campesinas", "pueblos-indigenas"],
    "salud": ["mujeres", "personas-mayores", "ninas-ninos"],
    "educacion": ["ninas-ninos", "adolescentes-juventudes"],
    "desarrollo-economico": ["familias-campesinas", "mujeres"],
    "migracion": ["personas-migrantes"],
    "seguridad-construccion-paz": ["adolescentes-juventudes", "mujeres"],
    "transparencia-rendicion-cuentas": ["poblacion-en-general"],
    "cultura": ["pueblos-indigenas", "adolescentes-juventudes"],
    "participacion-ciudadana": ["poblacion-en-general", "adolescentes-juventudes"],
    "discapacidad": ["personas-con-discapacidad"],
    "agua-alimentacion": ["familias-campesinas"],
    "vivienda": ["poblacion-en-general", "personas-en-situacion-de-calle"],
    "personas-mayores": ["personas-mayores"],
    "gestion-riesgos": ["poblacion-en-general"],
    "diversidad-sexual": ["poblacion-lgbti"],
}
# The indigenous languages most spoken in each region, and how often an
# organisation there works in one of them (La Montaña, the Mixteca and the
# Valles are largely indigenous).
REGION_LANGUAGES = {
    "montana": (0.75, ["tlapaneco", "nahuatl", "mixteco", "amuzgo"]),
    "mixteca-huajuapan": (0.6, ["mixteco", "triqui", "chocholteco", "ixcateco"]),
    "valles-centrales": (0.5, ["zapoteco", "mixteco", "mixe", "chatino"]),
    "tehuacan": (0.25, ["nahuatl", "popoloca", "mazateco"]),
    "puebla": (0.1, ["nahuatl", "totonaco", "otomi"]),
    "acapulco": (0.15, ["nahuatl", "mixteco", "amuzgo", "tlapaneco"]),
}
STATE_LANGUAGES = {
    "20": ["zapoteco", "mixteco", "mazateco", "mixe", "chinanteco", "chatino", "triqui", "huave"],
    "21": ["nahuatl", "totonaco", "popoloca", "mazateco", "otomi"],
    "12": ["nahuatl", "mixteco", "tlapaneco", "amuzgo"],
}
OTHER_LANGUAGES = ["nahuatl", "otomi", "mazahua", "tepehua", "otra-indigena"]
# Telephone area codes (lada) of the regions' main cities, and of some others.
REGION_LADAS = {
    "valles-centrales": ["951"],
    "mixteca-huajuapan": ["953"],
    "tehuacan": ["238"],
    "puebla": ["222"],
    "acapulco": ["744"],
    "montana": ["757"],
}
OTHER_LADAS = ["55", "33", "81", "442", "477", "999", "228", "961"]
PROGRAMME_KINDS = (Kind.CSO, Kind.COLLECTIVE, Kind.ACADEMIC, Kind.NETWORK)
NETWORK_MEMBERS = (15, 40)
ALLIANCE_COUNT = 150
ALLIANCE_KINDS = {
    Alliance.Kind.AGREEMENT: 30,
    Alliance.Kind.JOINT_PROJECT: 40,
    Alliance.Kind.NETWORK: 10,
    Alliance.Kind.REFERRAL: 20,
}
KEY_COMMUNITIES_PER_REGION = (3, 6)


def _detail_rng(seed: str, name: str, what: str) -> random.Random:
    return random.Random(f"{seed}:{what}:{name}")


def _registry_fields(organizations: list[Organization], *, seed: str) -> None:
    """Legal form, size, RFC and CLUNI (valid and unique), and coordinates near
    the municipality's main locality, for organisations about to be created."""
    used_rfc = set(Organization.objects.exclude(rfc="").values_list("rfc", flat=True))
    used_cluni = set(Organization.objects.exclude(cluni="").values_list("cluni", flat=True))
    places = _main_localities()
    for org in organizations:
        rng = _detail_rng(seed, org.name, "registry")
        suffix = next((s for s in LEGAL_FORM_SUFFIXES if org.name.endswith(f" {s}")), None)
        org.legal_form = (
            LEGAL_FORM_SUFFIXES[suffix] if suffix else KIND_LEGAL_FORMS.get(org.kind, "")
        )
        if org.kind == Kind.ACADEMIC:
            org.legal_form = Organization.LegalForm.PUBLIC
        bands = SIZE_BANDS.get(org.kind, {"6-15": 1})
        org.size_band = rng.choices(list(bands), weights=list(bands.values()))[0]
        if org.kind == Kind.CSO and rng.random() < RFC_SHARE:
            org.rfc = _unique(used_rfc, lambda r=rng, o=org: _rfc(r, o))
        if org.kind == Kind.CSO and rng.random() < CLUNI_SHARE:
            org.cluni = _unique(used_cluni, lambda r=rng, o=org: _cluni(r, o))
        place = places.get(org.municipality_id)
        if place and rng.random() < COORDINATES_SHARE:
            org.latitude = (place[0] + Decimal(rng.uniform(-0.02, 0.02))).quantize(MICRO_DEGREE)
            org.longitude = (place[1] + Decimal(rng.uniform(-0.02, 0.02))).quantize(MICRO_DEGREE)


MICRO_DEGREE = Decimal("0.000001")


def _main_localities() -> dict[int, tuple[Decimal, Decimal]]:
    """Each municipality's most populous locality with coordinates (one query)."""
    places: dict[int, tuple[Decimal, Decimal]] = {}
    rows = (
        Community.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("municipality_id", "-population")
        .values_list("municipality_id", "latitude", "longitude")
    )
    for municipality_id, latitude, longitude in rows:
        places.setdefault(municipality_id, (latitude, longitude))
    return places


def _unique(used: set[str], make) -> str:
    for _attempt in range(50):
        value = make()
        if value not in used:
            used.add(value)
            return value
    return ""  # astronomically unlikely: leave it empty rather than repeat one


def _letters(org: Organization, count: int) -> str:
    letters = "".join(
        ch for ch in n.ascii_slug(org.acronym or org.name, "").upper() if ch.isalpha()
    )
    return (letters + "XXX")[:count]


def _founding_date(rng: random.Random, org: Organization) -> str:
    year = org.founded_year or rng.randint(1990, 2020)
    return f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def _rfc(rng: random.Random, org: Organization) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    homoclave = rng.choice(alphabet) + rng.choice(alphabet) + rng.choice("A0123456789")
    return f"{_letters(org, 3)}{_founding_date(rng, org)}{homoclave}"


def _cluni(rng: random.Random, org: Organization) -> str:
    check = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    return f"{_letters(org, 3)}{_founding_date(rng, org)}{rng.randint(0, 9999):04d}{check}"


@dataclass
class DemoOrg:
    pk: int
    name: str
    kind: str
    status: str
    municipality: Municipality
    themes: list[str]


def _populate_details(
    *, batch: Batch, regions: dict[Region, list[Municipality]], seed: str, stdout: TextIO
) -> None:
    themes_by_name = dict(zip((o.name for o in batch.organizations), batch.themes, strict=True))
    municipalities = {m.pk: m for ms in regions.values() for m in ms}
    rows = Organization.objects.values_list("pk", "name", "kind", "status", "municipality_id")
    missing_places = {m for *_rest, m in rows if m not in municipalities}
    if missing_places:
        municipalities.update(
            Municipality.objects.select_related("state", "region").in_bulk(missing_places)
        )
    orgs = [
        DemoOrg(pk, name, kind, status, municipalities[municipality_id], themes_by_name[name])
        for pk, name, kind, status, municipality_id in rows
        if name in themes_by_name
    ]
    done = {
        "populations": _populations(orgs, seed),
        "languages": _languages(orgs, seed),
        "coverage": _coverage(orgs, regions, seed),
        "contacts": _contacts(orgs, seed),
        "network_memberships": _network_memberships(orgs, seed),
        "alliances": _alliances(orgs, seed),
        "key_communities": _key_communities(orgs, regions, seed),
    }
    stdout.write(
        "  Detalles: {populations} poblaciones, {languages} lenguas, {coverage} municipios de "
        "cobertura, {contacts} contactos, {network_memberships} integraciones en redes, "
        "{alliances} alianzas y {key_communities} comunidades clave nuevas.\n".format(**done)
    )


def _without(through, orgs: list[DemoOrg]) -> list[DemoOrg]:
    having = set(through.objects.values_list("organization_id", flat=True).distinct())
    return [org for org in orgs if org.pk not in having]


def _populations(orgs: list[DemoOrg], seed: str) -> int:
    Through = Organization.populations.through
    ids = dict(Population.objects.values_list("slug", "id"))
    if not ids:
        return 0
    links = []
    for org in _without(Through, orgs):
        rng = _detail_rng(seed, org.name, "populations")
        if org.kind in (Kind.NETWORK, Kind.LOCAL_AUTHORITY, Kind.ACADEMIC, Kind.PUBLIC_BODY):
            wanted = ["poblacion-en-general"]
        else:
            pool = list(dict.fromkeys(p for t in org.themes for p in THEME_POPULATIONS.get(t, [])))
            region = org.municipality.region.slug if org.municipality.region else ""
            if region == "acapulco" and rng.random() < 0.2:
                pool.append("personas-afromexicanas")
            wanted = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2]))) or [
                "poblacion-en-general"
            ]
        links += [Through(organization_id=org.pk, population_id=ids[s]) for s in wanted if s in ids]
    Through.objects.bulk_create(links, batch_size=5000)
    return len(links)


def _languages(orgs: list[DemoOrg], seed: str) -> int:
    Through = Organization.languages.through
    ids = dict(Language.objects.values_list("code", "id"))
    if "espanol" not in ids:
        return 0
    links = []
    for org in _without(Through, orgs):
        rng = _detail_rng(seed, org.name, "languages")
        region = org.municipality.region.slug if org.municipality.region else ""
        share, pool = REGION_LANGUAGES.get(
            region,
            (0.1, STATE_LANGUAGES.get(org.municipality.state.code, OTHER_LANGUAGES)),
        )
        if "pueblos-indigenas" in org.themes:
            share = max(share, 0.9)
        wanted = ["espanol"]
        if rng.random() < share:
            wanted += rng.sample(pool, 1 if rng.random() < 0.75 else min(2, len(pool)))
        links += [Through(organization_id=org.pk, language_id=ids[c]) for c in wanted if c in ids]
    Through.objects.bulk_create(links, batch_size=5000)
    return len(links)


def _neighbours(regions: dict[Region, list[Municipality]]) -> dict[int, list[int]]:
    """Each programme municipality's nearest ones in its region, by label point."""
    nearest: dict[int, list[int]] = {}
    for municipalities in regions.values():
        placed = [m for m in municipalities if m.label_point]
        for m in placed:
            x, y = m.label_point
            others = sorted(
                (o for o in placed if o.pk != m.pk),
                key=lambda o, x=x, y=y: (o.label_point[0] - x) ** 2 + (o.label_point[1] - y) ** 2,
            )
            nearest[m.pk] = [o.pk for o in others[:6]]
    return nearest


def _coverage(orgs: list[DemoOrg], regions: dict[Region, list[Municipality]], seed: str) -> int:
    """Where each works: its municipality and up to three near it in its region;
    networks cover their state's regions, universities their region."""
    Through = Organization.coverage_municipalities.through
    RegionThrough = Organization.coverage_regions.through
    nearest = _neighbours(regions)
    state_regions: dict[int, list[int]] = {}
    for region in regions:
        state_regions.setdefault(region.state_id, []).append(region.pk)
    with_regions = set(RegionThrough.objects.values_list("organization_id", flat=True))
    links, region_links = [], []
    for org in _without(Through, orgs):
        rng = _detail_rng(seed, org.name, "coverage")
        wanted = [org.municipality.pk]
        around = nearest.get(org.municipality.pk, [])
        if around and org.kind not in (Kind.LOCAL_AUTHORITY, Kind.PUBLIC_BODY):
            wanted += rng.sample(around, min(len(around), rng.choice([0, 1, 1, 2, 3])))
        links += [Through(organization_id=org.pk, municipality_id=pk) for pk in wanted]
        if org.pk in with_regions:
            continue
        if org.kind == Kind.NETWORK:
            covered = state_regions.get(org.municipality.state_id, [])
        elif org.kind == Kind.ACADEMIC and org.municipality.region_id:
            covered = [org.municipality.region_id]
        else:
            covered = []
        region_links += [RegionThrough(organization_id=org.pk, region_id=pk) for pk in covered]
    Through.objects.bulk_create(links, batch_size=5000)
    RegionThrough.objects.bulk_create(region_links, batch_size=5000)
    return len(links)


def _contacts(orgs: list[DemoOrg], seed: str) -> int:
    """Address (public), a phone (public or private), e-mail, web and Facebook
    for many; the addresses use the demo's own domain, never a real one."""
    having = set(ContactPoint.objects.values_list("organization_id", flat=True).distinct())
    contacts = []
    for org in orgs:
        if org.pk in having:
            continue
        rng = _detail_rng(seed, org.name, "contacts")
        slug = _domain_label(org) or f"org-{org.pk}"
        region = org.municipality.region.slug if org.municipality.region else ""
        rows: list[tuple[str, str, bool]] = []
        if rng.random() < 0.85:
            address = (
                f"{rng.choice(texts.STREETS)} {rng.randint(1, 480)}, "
                f"{rng.choice(texts.NEIGHBOURHOODS)}, {org.municipality.name}, "
                f"{org.municipality.state.abbreviation or org.municipality.state.name}"
            )
            rows.append((ContactPoint.Kind.ADDRESS, address, True))
        if rng.random() < 0.9:
            lada = rng.choice(REGION_LADAS.get(region, OTHER_LADAS))
            digits = "".join(str(rng.randint(0, 9)) for _ in range(10 - len(lada)))
            phone = f"{lada} {digits[:-4]} {digits[-4:]}"
            rows.append((ContactPoint.Kind.PHONE, phone, rng.random() < 0.4))
        if rng.random() < 0.85:
            email = f"contacto@{slug}.polo.demo"
            rows.append((ContactPoint.Kind.EMAIL, email, rng.random() < 0.85))
        if org.kind != Kind.COLLECTIVE and rng.random() < 0.3:
            rows.append((ContactPoint.Kind.WEBSITE, f"https://{slug}.polo.demo", True))
        if rng.random() < 0.6:
            rows.append((ContactPoint.Kind.FACEBOOK, f"https://www.facebook.com/{slug}", True))
        phones = [value for kind, value, _public in rows if kind == ContactPoint.Kind.PHONE]
        if phones and org.kind in (Kind.COLLECTIVE, Kind.COMMUNITY) and rng.random() < 0.2:
            rows.append((ContactPoint.Kind.WHATSAPP, phones[0], False))
        contacts += [
            ContactPoint(
                organization_id=org.pk, kind=kind, value=value, is_public=public, order=order
            )
            for order, (kind, value, public) in enumerate(rows)
            if value
        ]
    ContactPoint.objects.bulk_create(contacts, batch_size=5000)
    return len(contacts)


def _domain_label(org: DemoOrg, limit: int = 40) -> str:
    """The name as a web address label, cut at a word: "mujeres-de-los-valles"."""
    slug = n.ascii_slug(org.name, "-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug.strip("-")


def _network_memberships(orgs: list[DemoOrg], seed: str) -> int:
    """Each state network gathers 15 to 40 organisations of its state."""
    networks = [o for o in orgs if o.kind == Kind.NETWORK and o.name in NETWORK_NAMES]
    having = set(NetworkMembership.objects.values_list("network_id", flat=True))
    links = []
    for network in networks:
        if network.pk in having:
            continue
        rng = _detail_rng(seed, network.name, "members")
        candidates = sorted(
            (
                o
                for o in orgs
                if o.kind in (Kind.CSO, Kind.COLLECTIVE)
                and o.status == Status.PUBLISHED
                and o.municipality.state_id == network.municipality.state_id
                and o.municipality.region_id
            ),
            key=lambda o: o.name,
        )
        count = min(len(candidates), rng.randint(*NETWORK_MEMBERS))
        for member in rng.sample(candidates, count):
            start = datetime.date(rng.randint(2018, 2023), rng.randint(1, 12), 1)
            links.append(
                NetworkMembership(network_id=network.pk, member_id=member.pk, start_date=start)
            )
    NetworkMembership.objects.bulk_create(links, batch_size=2000)
    return len(links)


def _alliances(orgs: list[DemoOrg], seed: str) -> int:
    """About 150 alliances among the programme's organisations, most within a
    region, most confirmed by both sides (the rest wait for the other side)."""
    if Alliance.objects.exists():
        return 0
    rng = _detail_rng(seed, "programme", "alliances")
    pool = sorted(
        (
            o
            for o in orgs
            if o.kind in PROGRAMME_KINDS
            and o.status == Status.PUBLISHED
            and o.municipality.region_id
        ),
        key=lambda o: o.name,
    )
    if len(pool) < 2:
        return 0
    by_region: dict[int, list[DemoOrg]] = {}
    for org in pool:
        by_region.setdefault(org.municipality.region_id, []).append(org)
    kinds, weights = list(ALLIANCE_KINDS), list(ALLIANCE_KINDS.values())
    pairs: set[frozenset[int]] = set()
    alliances = []
    for _attempt in range(ALLIANCE_COUNT * 5):
        if len(alliances) >= ALLIANCE_COUNT:
            break
        source = rng.choice(pool)
        neighbours = by_region[source.municipality.region_id]
        target = rng.choice(neighbours if rng.random() < 0.75 and len(neighbours) > 1 else pool)
        pair = frozenset((source.pk, target.pk))
        if source.pk == target.pk or pair in pairs:
            continue
        pairs.add(pair)
        declared = datetime.datetime(
            rng.randint(2018, 2024), rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=datetime.UTC
        )
        confirmed = rng.random() < 0.8
        alliances.append(
            Alliance(
                source_id=source.pk,
                target_id=target.pk,
                kind=rng.choices(kinds, weights=weights)[0],
                start_date=declared.date(),
                source_confirmed_at=declared,
                target_confirmed_at=declared + datetime.timedelta(days=rng.randint(1, 60))
                if confirmed
                else None,
            )
        )
    Alliance.objects.bulk_create(alliances)
    return len(alliances)


def _key_communities(
    orgs: list[DemoOrg], regions: dict[Region, list[Municipality]], seed: str
) -> int:
    """Three to six key communities per region, among INEGI's localities (not
    the municipal seats), with why they are key, their languages and who works there."""
    done_regions = set(
        KeyCommunity.objects.values_list("community__municipality__region_id", flat=True)
    )
    language_ids = dict(Language.objects.values_list("code", "id"))
    by_municipality: dict[int, list[DemoOrg]] = {}
    for org in orgs:
        if org.status == Status.PUBLISHED:
            by_municipality.setdefault(org.municipality.pk, []).append(org)
    created: list[tuple[KeyCommunity, list[int], list[int]]] = []
    for region, municipalities in regions.items():
        if region.pk in done_regions:
            continue
        rng = _detail_rng(seed, region.slug, "key-communities")
        seats = {m.pk: m.seat for m in municipalities}
        candidates = list(
            Community.objects.filter(
                municipality__in=municipalities, source=Community.Source.INEGI
            ).order_by("code")
        )
        candidates = [c for c in candidates if c.name != seats.get(c.municipality_id)] or candidates
        count = min(len(candidates), rng.randint(*KEY_COMMUNITIES_PER_REGION))
        reasons = texts.KEY_COMMUNITY_REASONS.get(region.slug, ["Comunidad prioritaria."])
        share, spoken = REGION_LANGUAGES.get(region.slug, (0.0, []))
        for community in rng.sample(candidates, count):
            languages = (
                [
                    language_ids[c]
                    for c in rng.sample(spoken, min(2, len(spoken)))
                    if c in language_ids
                ]
                if rng.random() < max(share, 0.3)
                else []
            )
            working = by_municipality.get(community.municipality_id, [])
            organizations = [o.pk for o in rng.sample(working, min(3, len(working)))]
            created.append(
                (
                    KeyCommunity(
                        community=community,
                        reason=rng.choice(reasons),
                        notes=rng.choice(texts.KEY_COMMUNITY_NOTES),
                    ),
                    languages,
                    organizations,
                )
            )
    if not created:
        return 0
    keys = KeyCommunity.objects.bulk_create([key for key, _l, _o in created])
    KeyCommunity.languages.through.objects.bulk_create(
        [
            KeyCommunity.languages.through(keycommunity_id=key.pk, language_id=language)
            for key, (_k, languages, _o) in zip(keys, created, strict=True)
            for language in languages
        ]
    )
    KeyCommunity.organizations.through.objects.bulk_create(
        [
            KeyCommunity.organizations.through(keycommunity_id=key.pk, organization_id=org)
            for key, (_k, _l, organizations) in zip(keys, created, strict=True)
            for org in organizations
        ]
    )
    Community.objects.filter(pk__in=[key.community_id for key in keys]).update(is_key=True)
    return len(keys)
