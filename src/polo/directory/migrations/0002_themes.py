"""The managed theme taxonomy (temas) that classifies actors, materials and proposals.

Idempotent: keyed on the slug, so running it again (or after a coordinator
renamed a theme) restores the names here without touching the links.
The list is frozen in this migration on purpose: later changes to the taxonomy
come as new migrations, so that an old database migrates the same way.
"""

from django.db import migrations

THEMES = [
    ("derechos-humanos", "Derechos humanos", "Human rights"),
    ("genero-derechos-mujeres", "Género y derechos de las mujeres", "Gender and women's rights"),
    ("ninez-juventud", "Niñez y juventud", "Children and youth"),
    ("pueblos-indigenas", "Pueblos indígenas", "Indigenous peoples"),
    ("medio-ambiente-territorio", "Medio ambiente y territorio", "Environment and territory"),
    ("salud", "Salud", "Health"),
    ("educacion", "Educación", "Education"),
    ("desarrollo-economico", "Desarrollo económico", "Economic development"),
    ("migracion", "Migración", "Migration"),
    ("seguridad-construccion-paz", "Seguridad y construcción de paz",
     "Security and peace building"),
    ("transparencia-rendicion-cuentas", "Transparencia y rendición de cuentas",
     "Transparency and accountability"),
    ("cultura", "Cultura", "Culture"),
    ("participacion-ciudadana", "Participación ciudadana", "Citizen participation"),
    ("discapacidad", "Discapacidad", "Disability"),
    ("agua-alimentacion", "Agua y alimentación", "Water and food"),
    ("vivienda", "Vivienda", "Housing"),
    ("personas-mayores", "Personas mayores", "Older people"),
    ("gestion-riesgos", "Protección civil y gestión de riesgos",
     "Civil protection and disaster risk management"),
    ("diversidad-sexual", "Diversidad sexual y de género", "Sexual and gender diversity"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("directory", "Theme")
    for slug, name, name_en in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    # Reversing keeps the themes: organisations and materials may point at them.
    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
