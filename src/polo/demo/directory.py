"""Demo organisations: the programme's actors, and a national set for benchmarks.

Programme scale (the seed's figures): 190 CSOs and 50 collectives spread over the
six regions by population, most in the main cities; 7 academic institutions,
3 networks (one per state) and the municipal governments of the main
municipalities of each region. National scale adds organisations in every
municipality of Mexico, weighted by population, up to ``scale.national_size``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
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
from polo.directory.models import Organization, Theme
from polo.territory.models import Municipality, Region

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
    regions = programme_regions()
    batch = Batch()
    _programme_actors(batch, rng, regions, theme_ids)
    if scale.is_national:
        _national_organizations(
            batch, rng, scale.national_size - len(batch.organizations), theme_ids
        )
    created = _create_missing(batch, theme_ids)
    stdout.write(
        f"  Organizaciones: {created} nuevas, {len(batch.organizations) - created} ya existían.\n"
    )


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


def _create_missing(batch: Batch, theme_ids: dict) -> int:
    """Insert the organisations whose names are not taken yet, with their themes."""
    existing = set(Organization.objects.values_list("name", flat=True))
    new = [
        (org, themes)
        for org, themes in zip(batch.organizations, batch.themes, strict=True)
        if org.name not in existing
    ]
    if not new:
        return 0
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
