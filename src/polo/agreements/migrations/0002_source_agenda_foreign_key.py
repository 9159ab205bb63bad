"""The agenda an agreement comes from becomes a foreign key to an adopted
common agenda; the free text written until now is kept, renamed source_note."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agendas", "0001_initial"),
        ("agreements", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("agreement", "source_agenda", "source_note"),
        migrations.RenameField("historicalagreement", "source_agenda", "source_note"),
        migrations.AlterField(
            model_name="agreement",
            name="source_note",
            field=models.CharField(
                blank=True,
                help_text="Nombre o dirección de la agenda común o del foro que dio origen al convenio.",
                max_length=300,
                verbose_name="origen (nota)",
            ),
        ),
        migrations.AlterField(
            model_name="historicalagreement",
            name="source_note",
            field=models.CharField(
                blank=True,
                help_text="Nombre o dirección de la agenda común o del foro que dio origen al convenio.",
                max_length=300,
                verbose_name="origen (nota)",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="source_agenda",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"phase": "adopted"},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="agreements",
                to="agendas.agenda",
                verbose_name="agenda común de la que proviene",
            ),
        ),
        migrations.AddField(
            model_name="historicalagreement",
            name="source_agenda",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"phase": "adopted"},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="agendas.agenda",
                verbose_name="agenda común de la que proviene",
            ),
        ),
    ]
