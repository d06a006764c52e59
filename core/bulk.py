"""bulk_update in one `UPDATE … FROM (VALUES …)` on PostgreSQL.

Django's bulk_update writes `SET field = CASE WHEN pk = 1 THEN … WHEN pk = 2 THEN … END` for every
field: building and compiling those expressions cost the sweep more than running them (~35 ms of
Python per chunk of 20 checks, docs/PERFORMANCE.md). A VALUES list is one row of parameters per
object, whatever the fields. Other databases (SQLite, the embedded demo) keep Django's form.
"""

from django.db import connections

MAX_PARAMETERS = 65_535  # PostgreSQL's limit of parameters in one statement


def values_update(queryset, objs, fields) -> int | None:
    """Write `fields` of `objs` (saved instances of queryset's model) in one statement; returns the
    rows updated, or None when the database is not PostgreSQL (the caller falls back)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    if not objs:
        return 0
    meta = queryset.model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    # Every value is cast to its column's type: VALUES alone would type a None as text.
    row = "(" + ", ".join(f"%s::{column.db_type(connection)}" for column in columns) + ")"
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    pk = quote(meta.pk.column)
    batch = MAX_PARAMETERS // len(columns)
    rows = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v({names}) WHERE t.{pk} = v.{pk}",
                [
                    column.get_db_prep_save(getattr(obj, column.attname), connection)
                    for obj in chunk
                    for column in columns
                ],
            )
            rows += cursor.rowcount
    return rows
