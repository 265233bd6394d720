"""Load the indicator lists shipped in azad/screening/catalogue/ (ILO/EC 2009).

Loading is idempotent: a version already loaded with the same content is
left alone, so re-running is harmless. Later list files (new versions, a
national list) are loaded with ``azad load-indicators FILE`` or on the
catalogue page, not by editing this migration.
"""

from django.db import migrations

SHIPPED = [
    "ilo2009.adult.labour.v1.json",
    "ilo2009.child.labour.v1.json",
    "ilo2009.adult.sexual.v1.json",
    "ilo2009.child.sexual.v1.json",
]


def load(apps, schema_editor):
    from azad.screening import loader

    IndicatorList = apps.get_model("screening", "IndicatorList")
    Indicator = apps.get_model("screening", "Indicator")
    for name in SHIPPED:
        parsed = loader.parse_list_file((loader.SHIPPED_DIR / name).read_bytes())
        loader.save_list(parsed, list_model=IndicatorList, indicator_model=Indicator, loaded_by="migration")


def unload(apps, schema_editor):
    IndicatorList = apps.get_model("screening", "IndicatorList")
    IndicatorList.objects.filter(loaded_by="migration", screenings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
