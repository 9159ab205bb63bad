"""The actor registry: organisations, their themes and the people in them.

The foundation carries the core of the registry that every module points at;
the Thematic Directory (search, map, import, export) grows on it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from polo.directory import text

# RFC of a legal person (3 letters) or a natural person (4 letters), the date
# of constitution (YYMMDD) and a three-character homoclave.
RFC_RE = re.compile(r"^[A-ZÑ&]{3,4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z\d]{2}[A\d]$")
# CLUNI as issued by the Registro Federal de las OSC: three letters, the date
# (YYMMDD), four digits and a check character (e.g. MUV1203150901A).
CLUNI_RE = re.compile(r"^[A-ZÑ&]{3}\d{6}\d{4}[A-Z\d]$")


class Theme(models.Model):
    """A managed taxonomy entry (tema): classifies actors, materials, proposals."""

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """A population an organisation serves (women, children, indigenous peoples...)."""

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("población atendida")
        verbose_name_plural = _("poblaciones atendidas")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language an organisation works in: Spanish and the indigenous languages."""

    code = models.SlugField(_("clave"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120, blank=True)
    is_indigenous = models.BooleanField(_("lengua indígena"), default=True)

    class Meta:
        ordering = ["-is_indigenous", "name"]
        verbose_name = _("lengua")
        verbose_name_plural = _("lenguas")

    def __str__(self) -> str:
        return self.name


def validate_rfc(value: str) -> None:
    if not RFC_RE.match(value):
        raise ValidationError(
            _("El RFC «%(value)s» no tiene el formato válido (p. ej. MUV120315AB1)."),
            params={"value": value},
        )


def validate_cluni(value: str) -> None:
    if not CLUNI_RE.match(value):
        raise ValidationError(
            _("La CLUNI «%(value)s» no tiene el formato válido (p. ej. MUV1203150901A)."),
            params={"value": value},
        )


# The full-text index of Organization.search_text (migration 0005): an FTS5
# table on SQLite, kept in step with the organisations by triggers; on
# PostgreSQL a stored tsvector column beside it, with a GIN index.
SEARCH_INDEX_TABLE = "directory_organization_search"
SEARCH_VECTOR_COLUMN = "search_vector"


class StartsWords(models.Lookup):
    """``search_text__words=("derech", "mujer")``: every term starts one of the
    document's words, as ``LIKE '% term%'`` would find it, through an index.
    Registered on Organization.search_text alone, the column the indexes cover.

    search_text is accent-folded words and their stems between single spaces
    (text.search_document), and terms are stems of the same alphabet
    ([a-z0-9]), so the FTS5 tokenizer and PostgreSQL's parser cut the document
    into the very words the LIKE would have seen, and a prefix query of each
    term finds what the LIKE found.
    """

    lookup_name = "words"
    prepare_rhs = False
    # SQLite's planner cannot tell how many rows a text query finds, and always
    # starts from the FTS5 table when it may: after every one of its matches.
    # When other filters narrow the search (``words_among``), it starts from
    # them, and tests each row against the text query's matches.
    leads = True

    def _terms(self) -> list[str]:
        terms = [term for term in self.rhs if term]
        if not terms or not all(text.is_search_term(term) for term in terms):
            raise ValueError(f"Not search terms (text.search_terms): {self.rhs!r}")
        return terms

    def as_sql(self, compiler, connection):
        # Any other database: the LIKE the indexes stand in for.
        lhs, params = compiler.compile(self.lhs)
        terms = self._terms()
        sql = " AND ".join(f"{lhs} LIKE %s" for _term in terms)
        return f"({sql})", [*params * len(terms), *(f"% {term}%" for term in terms)]

    def as_sqlite(self, compiler, connection):
        # The FTS5 table's rowid is the organisation's id; the prefix query
        # ("term"*) of every term, joined by AND, is the LIKE of each. A unary
        # plus keeps the planner from starting from it.
        qn = compiler.quote_name_unless_alias
        pk = f"{qn(self.lhs.alias)}.{qn(self.lhs.target.model._meta.pk.column)}"
        match = " AND ".join(f'"{term}"*' for term in self._terms())
        table = SEARCH_INDEX_TABLE
        lead = "" if self.leads else "+"
        return f"{lead}{pk} IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)", [match]

    def as_postgresql(self, compiler, connection):
        qn = compiler.quote_name_unless_alias
        vector = f"{qn(self.lhs.alias)}.{qn(SEARCH_VECTOR_COLUMN)}"
        query = " & ".join(f"'{term}':*" for term in self._terms())
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", [query]


class StartsWordsAmong(StartsWords):
    """``search_text__words_among``: the same, in a search that other filters
    narrow down (see StartsWords.leads)."""

    lookup_name = "words_among"
    leads = False


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Organization.Status.PUBLISHED)

    def in_region(self, region):
        return self.filter(municipality__region=region)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def matching(self, query: str, *, narrowed: bool = False):
        """Organisations matching every word of the query, through the full-text
        index; all of them when it has no words. ``narrowed``: other filters of
        the same query narrow the rows down (see StartsWords.leads)."""
        terms = tuple(text.search_terms(query))
        if not terms:
            return self
        return (
            self.filter(search_text__words_among=terms)
            if narrowed
            else self.filter(search_text__words=terms)
        )

    def search(self, query: str, *, narrowed: bool = False):
        """Organisations matching every word of the query (accents, case and
        Spanish word forms forgiven), annotated with a relevance score.

        The match goes through the full-text index (``search_text__words``);
        the score, three points a word found in the name or acronym and one
        elsewhere, is worked out on the matching rows only.
        """
        terms = text.search_terms(query)
        if not terms:
            return self.annotate(relevance=models.Value(0, output_field=models.IntegerField()))
        queryset = self.matching(query, narrowed=narrowed)
        score = models.Value(0, output_field=models.IntegerField())
        for term in terms:
            needle = f" {term}"
            score = score + models.Case(
                models.When(search_name__contains=needle, then=models.Value(3)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        return queryset.annotate(relevance=score)


class Organization(models.Model):
    class Kind(models.TextChoices):
        CSO = "cso", _("Organización de la sociedad civil")
        COLLECTIVE = "collective", _("Colectivo o grupo")
        ACADEMIC = "academic", _("Institución académica")
        NETWORK = "network", _("Red")
        LOCAL_AUTHORITY = "local_authority", _("Autoridad local")
        COMMUNITY = "community", _("Organización comunitaria")
        PUBLIC_BODY = "public_body", _("Otro organismo público")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PENDING = "pending", _("En revisión")
        PUBLISHED = "published", _("Publicada")
        ARCHIVED = "archived", _("Archivada")

    class LegalForm(models.TextChoices):
        AC = "ac", _("Asociación civil (A.C.)")
        IAP = "iap", _("Institución de asistencia privada (I.A.P.)")
        SC = "sc", _("Sociedad civil (S.C.)")
        COOPERATIVE = "cooperative", _("Sociedad cooperativa")
        PUBLIC = "public", _("Entidad pública")
        NONE = "none", _("Sin figura jurídica")
        OTHER = "other", _("Otra")

    class SizeBand(models.TextChoices):
        MICRO = "1-5", _("1 a 5 personas")
        SMALL = "6-15", _("6 a 15 personas")
        MEDIUM = "16-50", _("16 a 50 personas")
        LARGE = "51+", _("Más de 50 personas")

    name = models.CharField(_("nombre"), max_length=255)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, db_index=True)
    legal_form = models.CharField(
        _("figura jurídica"), max_length=12, choices=LegalForm.choices, blank=True
    )
    description = models.TextField(_("descripción"), blank=True)
    description_en = models.TextField(_("descripción (inglés)"), blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    rfc = models.CharField(
        _("RFC"), max_length=13, blank=True, db_index=True, validators=[validate_rfc]
    )
    cluni = models.CharField(
        _("CLUNI"), max_length=20, blank=True, db_index=True, validators=[validate_cluni]
    )
    founded_year = models.PositiveSmallIntegerField(_("año de fundación"), null=True, blank=True)
    size_band = models.CharField(
        _("tamaño del equipo"), max_length=6, choices=SizeBand.choices, blank=True
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("municipio sede"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("comunidad sede"),
    )
    latitude = models.DecimalField(
        _("latitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="organizations", verbose_name=_("temas")
    )
    populations = models.ManyToManyField(
        Population,
        blank=True,
        related_name="organizations",
        verbose_name=_("poblaciones atendidas"),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="organizations", verbose_name=_("lenguas de trabajo")
    )
    coverage_municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="covering_organizations",
        verbose_name=_("municipios donde trabaja"),
    )
    coverage_regions = models.ManyToManyField(
        "territory.Region",
        blank=True,
        related_name="covering_organizations",
        verbose_name=_("regiones donde trabaja"),
    )
    logo = models.ImageField(
        _("logotipo"),
        upload_to="logos/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("fusionada en"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    created_at = models.DateTimeField(_("creada el"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    # Derived from the fields above by refresh_search_fields(); never edited.
    search_name = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    name_key = models.CharField(max_length=255, editable=False, default="", db_index=True)
    history = HistoricalRecords(
        m2m_fields=[themes, populations, languages, coverage_municipalities, coverage_regions],
        excluded_fields=["search_name", "search_text", "name_key", "updated_at"],
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        indexes = [
            models.Index(fields=["status", "kind"]),
            # The directory: published organisations by name (its first page
            # without a query), and by place and kind (the facets' counts, read
            # from the index alone).
            models.Index(fields=["status", "name"], name="organization_status_name"),
            models.Index(
                fields=["status", "municipality", "kind"], name="organization_status_place"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organization_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organization_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The derived search fields follow every save; themes set afterwards
        # (a form's save_m2m) call refresh_search_fields again (services.py).
        self.refresh_search_fields(theme_names=None if self.pk else [])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name", "search_text", "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def refresh_search_fields(self, theme_names: list[str] | None = None) -> None:
        """Recompute the normalized text search and duplicate detection read.

        Theme names come from the caller when themes are being changed in bulk;
        otherwise they are read from the database (the object must be saved).
        """
        if theme_names is None:
            theme_names = list(self.themes.values_list("name", flat=True)) if self.pk else []
        self.search_name = text.search_document(self.name, self.acronym)
        self.search_text = text.search_document(
            self.name, self.acronym, self.description, " ".join(theme_names)
        )
        self.name_key = text.name_key(self.name)


Organization._meta.get_field("search_text").register_lookup(StartsWords)
Organization._meta.get_field("search_text").register_lookup(StartsWordsAmong)


class Identifier(models.Model):
    """Any identifier beyond RFC and CLUNI, as a scheme and a value."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(_("esquema"), max_length=40)
    value = models.CharField(_("valor"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identificador")
        verbose_name_plural = _("identificadores")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="unique_identifier_value"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.value}"


class ContactPoint(models.Model):
    """One way to reach an organisation, public or private on its own."""

    class Kind(models.TextChoices):
        ADDRESS = "address", _("Domicilio")
        PHONE = "phone", _("Teléfono")
        EMAIL = "email", _("Correo electrónico")
        WEBSITE = "website", _("Sitio web")
        FACEBOOK = "facebook", _("Facebook")
        INSTAGRAM = "instagram", _("Instagram")
        X = "x", _("X (Twitter)")
        YOUTUBE = "youtube", _("YouTube")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OTHER = "other", _("Otro")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    value = models.CharField(_("dato"), max_length=500)
    is_public = models.BooleanField(_("público"), default=False)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "kind", "pk"]
        verbose_name = _("dato de contacto")
        verbose_name_plural = _("datos de contacto")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class NetworkMembership(models.Model):
    """An organisation's membership in a network (a network is an organisation)."""

    network = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="network_members",
        limit_choices_to={"kind": Organization.Kind.NETWORK},
        verbose_name=_("red"),
    )
    member = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="network_memberships",
        verbose_name=_("integrante"),
    )
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("integración en red")
        verbose_name_plural = _("integraciones en redes")
        constraints = [
            models.UniqueConstraint(fields=["network", "member"], name="one_network_membership"),
            models.CheckConstraint(
                condition=~Q(network=models.F("member")), name="network_is_not_its_own_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"


class Alliance(models.Model):
    """A declared relationship between two organisations.

    Shown publicly only once both sides have confirmed it.
    """

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Convenio de colaboración")
        JOINT_PROJECT = "joint_project", _("Proyecto conjunto")
        NETWORK = "network", _("Co-integración en red")
        REFERRAL = "referral", _("Canalización de casos")

    source = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="alliances_declared",
        verbose_name=_("declarada por"),
    )
    target = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="alliances_received",
        verbose_name=_("con"),
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("descripción"), blank=True)
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_confirmed_at = models.DateTimeField(
        _("confirmada por quien declara"), null=True, blank=True
    )
    target_confirmed_at = models.DateTimeField(
        _("confirmada por la contraparte"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alianza")
        verbose_name_plural = _("alianzas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="alliance_between_two_organizations"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ↔ {self.target} ({self.get_kind_display()})"

    @property
    def is_confirmed(self) -> bool:
        return bool(self.source_confirmed_at and self.target_confirmed_at)

    def confirm(self, *, side: Organization) -> None:
        now = timezone.now()
        if side.pk == self.source_id:
            self.source_confirmed_at = self.source_confirmed_at or now
        elif side.pk == self.target_id:
            self.target_confirmed_at = self.target_confirmed_at or now
        else:
            raise ValidationError(_("Esta organización no es parte de la alianza."))
        self.save(update_fields=["source_confirmed_at", "target_confirmed_at"])


class KeyCommunity(models.Model):
    """A key community of a territory (A1.2), with what makes it key."""

    community = models.OneToOneField(
        "territory.Community",
        on_delete=models.CASCADE,
        related_name="key_profile",
        verbose_name=_("comunidad"),
    )
    reason = models.TextField(_("por qué es clave"))
    languages = models.ManyToManyField(
        Language,
        blank=True,
        related_name="key_communities",
        verbose_name=_("lenguas indígenas habladas"),
    )
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="key_communities",
        verbose_name=_("organizaciones que trabajan ahí"),
    )
    notes = models.TextField(_("características"), blank=True)
    history = HistoricalRecords(m2m_fields=[languages, organizations])

    class Meta:
        verbose_name = _("comunidad clave")
        verbose_name_plural = _("comunidades clave")

    def __str__(self) -> str:
        return str(self.community)


class ProfileRevision(models.Model):
    """A change to a published profile, waiting for a facilitator's review.

    Editors change published organisations through revisions so that what the
    public sees has always been reviewed; drafts and new proposals are reviewed
    as a whole (status pending).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        APPROVED = "approved", _("Aprobada")
        REJECTED = "rejected", _("Rechazada")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="revisions"
    )
    data = models.JSONField(_("cambios propuestos"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("nota de revisión"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("revisión de perfil")
        verbose_name_plural = _("revisiones de perfil")

    def __str__(self) -> str:
        return f"{self.organization} · {self.submitted_at:%Y-%m-%d}"


class Membership(models.Model):
    """A person's role in an organisation; editors keep its profile current."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Integrante")
        LEADER = "leader", _("Directiva o coordinación")
        STAFF = "staff", _("Equipo operativo")
        VOLUNTEER = "volunteer", _("Voluntariado")
        STUDENT = "student", _("Estudiante")
        OFFICIAL = "official", _("Funcionario(a)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("persona"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organización"),
    )
    role = models.CharField(_("papel"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("cargo"), max_length=120, blank=True)
    is_editor = models.BooleanField(_("edita el perfil"), default=False)
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_membership_per_person_and_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"
