"""The managed taxonomies of populations served and languages worked in, and the
search fields of organisations created before they were derived on save.

Idempotent: keyed on the slug (populations) and the code (languages), so a
second run, or a run after a coordinator renamed an entry, restores the names
here without touching the links. As with the themes, the lists are frozen in
this migration: later changes come as new migrations.

Languages follow INALI's Catálogo de las Lenguas Indígenas Nacionales (2008):
one entry per agrupación lingüística spoken in the programme's states, each
from one of INALI's eleven families (kept here for reference; the model has no
field for it yet). Names are the Spanish ones with, where it is the name its
speakers use in the programme's regions, their own in parentheses.
"""

from django.db import migrations

POPULATIONS = [
    ("mujeres", "Mujeres", "Women"),
    ("ninas-ninos", "Niñas y niños", "Children"),
    ("adolescentes-juventudes", "Adolescentes y juventudes", "Adolescents and youth"),
    ("pueblos-indigenas", "Pueblos indígenas", "Indigenous peoples"),
    ("personas-afromexicanas", "Personas afromexicanas", "Afro-Mexican people"),
    ("personas-con-discapacidad", "Personas con discapacidad", "People with disabilities"),
    ("personas-migrantes", "Personas migrantes", "Migrants"),
    ("personas-mayores", "Personas mayores", "Older people"),
    ("poblacion-lgbti", "Población LGBTI+", "LGBTI+ people"),
    ("personas-en-situacion-de-calle", "Personas en situación de calle", "Homeless people"),
    (
        "personas-privadas-de-la-libertad",
        "Personas privadas de la libertad",
        "People deprived of liberty",
    ),
    ("familias-campesinas", "Familias campesinas", "Farming families"),
    ("poblacion-en-general", "Población en general", "General public"),
]

# (code, name, English name, is indigenous, INALI family)
LANGUAGES = [
    ("espanol", "Español", "Spanish", False, ""),
    ("nahuatl", "Náhuatl", "Nahuatl", True, "Yuto-nahua"),
    ("mixteco", "Mixteco (tu'un savi)", "Mixtec (Tu'un Savi)", True, "Oto-mangue"),
    ("zapoteco", "Zapoteco", "Zapotec", True, "Oto-mangue"),
    ("mazateco", "Mazateco", "Mazatec", True, "Oto-mangue"),
    ("mixe", "Mixe (ayuuk)", "Mixe (Ayuuk)", True, "Mixe-zoque"),
    ("chinanteco", "Chinanteco", "Chinantec", True, "Oto-mangue"),
    ("chatino", "Chatino", "Chatino", True, "Oto-mangue"),
    ("triqui", "Triqui", "Triqui", True, "Oto-mangue"),
    ("amuzgo", "Amuzgo", "Amuzgo", True, "Oto-mangue"),
    ("tlapaneco", "Tlapaneco (me'phaa)", "Tlapanec (Me'phaa)", True, "Oto-mangue"),
    ("cuicateco", "Cuicateco", "Cuicatec", True, "Oto-mangue"),
    ("chocholteco", "Chocholteco", "Chocholtec", True, "Oto-mangue"),
    ("popoloca", "Popoloca", "Popoloca", True, "Oto-mangue"),
    ("totonaco", "Totonaco", "Totonac", True, "Totonaco-tepehua"),
    ("otomi", "Otomí", "Otomi", True, "Oto-mangue"),
    ("huave", "Huave", "Huave", True, "Huave"),
    ("chontal-de-oaxaca", "Chontal de Oaxaca", "Oaxaca Chontal", True, "Chontal de Oaxaca"),
    ("zoque", "Zoque", "Zoque", True, "Mixe-zoque"),
    ("ixcateco", "Ixcateco", "Ixcatec", True, "Oto-mangue"),
    ("tepehua", "Tepehua", "Tepehua", True, "Totonaco-tepehua"),
    ("mazahua", "Mazahua", "Mazahua", True, "Oto-mangue"),
    ("otra-indigena", "Otra lengua indígena", "Other indigenous language", True, ""),
]

BATCH = 2000


def create_taxonomies(apps, schema_editor):
    Population = apps.get_model("directory", "Population")
    Language = apps.get_model("directory", "Language")
    for slug, name, name_en in POPULATIONS:
        Population.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    for code, name, name_en, indigenous, _family in LANGUAGES:
        Language.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_indigenous": indigenous}
        )


def backfill_search_fields(apps, schema_editor):
    """What Organization.refresh_search_fields() computes, for rows saved before
    it existed (or written in bulk without it). The historical model has no
    methods, so the same text functions are called here directly."""
    from polo.directory import text

    Organization = apps.get_model("directory", "Organization")
    Through = Organization.themes.through
    last_pk = 0
    while True:
        batch = list(
            Organization.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "name", "acronym", "description", "search_name", "search_text", "name_key")[
                :BATCH
            ]
        )
        if not batch:
            return
        last_pk = batch[-1].pk
        themes: dict[int, list[str]] = {}
        for org_id, theme_name in (
            Through.objects.filter(organization_id__in=[org.pk for org in batch])
            .order_by("theme__name")
            .values_list("organization_id", "theme__name")
        ):
            themes.setdefault(org_id, []).append(theme_name)
        changed = []
        for org in batch:
            fields = (
                text.search_document(org.name, org.acronym),
                text.search_document(
                    org.name, org.acronym, org.description, " ".join(themes.get(org.pk, []))
                ),
                text.name_key(org.name),
            )
            if fields != (org.search_name, org.search_text, org.name_key):
                org.search_name, org.search_text, org.name_key = fields
                changed.append(org)
        Organization.objects.bulk_update(changed, ["search_name", "search_text", "name_key"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_registry")]

    # Reversing keeps the entries: organisations may point at them.
    operations = [
        migrations.RunPython(create_taxonomies, migrations.RunPython.noop),
        migrations.RunPython(backfill_search_fields, migrations.RunPython.noop),
    ]
