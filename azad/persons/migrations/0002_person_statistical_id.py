"""Person.statistical_id: one value per person, shared by records linked as the same person.

Added nullable, filled with a fresh UUID per existing row (a callable default in
AddField would give every existing row the same value), then made required.
"""

import uuid

from django.db import migrations, models


def fill_statistical_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    person_model = apps.get_model("persons", "Person")
    batch = []
    for person in (
        person_model.objects.filter(statistical_id__isnull=True).only("pk").iterator(chunk_size=2000)
    ):
        person.statistical_id = uuid.uuid4()
        batch.append(person)
        if len(batch) >= 2000:
            person_model.objects.bulk_update(batch, ["statistical_id"])
            batch = []
    if batch:
        person_model.objects.bulk_update(batch, ["statistical_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="statistical_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_statistical_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="statistical_id",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="Shared by records that a 'same person' decision linked; statistics count distinct values.",
                verbose_name="statistical identity",
            ),
        ),
    ]
