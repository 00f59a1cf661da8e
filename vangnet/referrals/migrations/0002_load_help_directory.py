# SPDX-License-Identifier: EUPL-1.2
"""Seed the help directory from referrals/data/help_directory.json (idempotent; see directory.py).

Later seed versions are loaded by `vangnet manage help_directory_load` and by `vangnet demo`.
"""

from django.db import migrations


def load(apps, schema_editor):
    from vangnet.referrals.directory import apply_seed, read_seed

    apply_seed(apps.get_model("referrals", "HelpEntry"), read_seed())


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_help_directory")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
