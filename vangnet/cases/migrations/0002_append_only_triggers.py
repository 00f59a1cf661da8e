"""The database refuses to change history: case events, plan revisions, scores and notes.

Like the audit log (audit 0002): SQLite and PostgreSQL refuse UPDATE; PostgreSQL also refuses
DELETE (SQLite's test flush deletes rows, so there the model layer refuses DELETE). Retention
(Wmo art. 5.3.4) will delete whole cases through a dedicated, audited job that lifts this.
"""

from django.db import migrations

TABLES = ["cases_caseevent", "cases_planrevision", "cases_safetyscore", "cases_note"]


def _sqlite_up(table):
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
    )


PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END;
$$ LANGUAGE plpgsql;
"""


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(_sqlite_up(table))
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION cases_append_only();"
            )


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS cases_append_only();")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
