"""The bench's ARM import in a process of its own, as `manage.py import_circuits FILE --team NAME`
runs it: its peak memory is the import's, not the bench's (whose modules took 25 MB more). Prints,
as JSON, its queries and its peak resident memory before and after the import: VmHWM, this
process's own, as ru_maxrss would count the parent's from before the exec too. Run by
devtools.bench.arm as `python -m devtools.bench.arm_import`."""

import io
import json
import sys
from pathlib import Path

import django


class QueryCount:
    queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def main(path, team):
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    before = peak_rss_mb()
    counted = QueryCount()
    with connection.execute_wrapper(counted):
        call_command("import_circuits", path, team=team, stdout=io.StringIO())
    print(json.dumps({"queries": counted.queries, "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    main(*sys.argv[1:])
