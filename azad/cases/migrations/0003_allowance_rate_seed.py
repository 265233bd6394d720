"""The reintegration allowance in force since 2024-01-01: 700 AZN."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    rate = apps.get_model("cases", "AllowanceRate")
    rate.objects.get_or_create(
        valid_from=dt.date(2024, 1, 1), defaults={"amount": Decimal("700.00"), "currency": "AZN"}
    )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "AllowanceRate").objects.filter(
        valid_from=dt.date(2024, 1, 1), amount=Decimal("700.00")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_increment2")]

    operations = [migrations.RunPython(seed, unseed)]
