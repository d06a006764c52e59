"""Writers giving the imported routing data back in the formats the importers read.

ROAs as Routinator's `json` output format; route objects as an RPSL dump of route:/route6: objects
carrying origin:, mnt-by: and source:. Importing what they write gives back the same rows.
"""

import json

from django.utils import timezone

from .selectors import roas_for_export, route_objects_for_export


def roas_json():
    """Routinator `json`: {"metadata": {...}, "roas": [{"asn": "AS…", "prefix", "maxLength", "ta"}]}, in chunks."""
    now = timezone.now()
    metadata = {"generated": int(now.timestamp()), "generatedTime": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
    yield f'{{\n  "metadata": {json.dumps(metadata)},\n  "roas": ['
    separator = "\n"
    for prefix, max_length, asn, trust_anchor in roas_for_export():
        roa = {"asn": f"AS{asn}", "prefix": prefix, "maxLength": max_length, "ta": trust_anchor}
        yield f"{separator}    {json.dumps(roa, ensure_ascii=False)}"
        separator = ",\n"
    yield "\n  ]\n}\n"


def routes_rpsl(*, source: str):
    """The route objects of `source` as an RPSL dump, one object per paragraph."""
    yield f"% {source} route objects exported by Onramp (RPSL, RFC 2622)\n\n"
    for prefix, family, origin, mnt_by in route_objects_for_export(source=source):
        object_class = "route" if family == 4 else "route6"
        maintainers = f"mnt-by:         {mnt_by}\n" if mnt_by else ""
        yield f"{object_class + ':':<16}{prefix}\norigin:         AS{origin}\n{maintainers}source:         {source}\n\n"
