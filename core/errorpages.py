"""What a request that failed on the server gets: 503 while the database is out of reach, else 500.

Django calls this (config.urls.handler500) inside its exception handler, for errors from views and
middleware alike, after logging the traceback; the page shows none of it. The templates render
without a request context, as Django's own handler does: its context processors would need the
database that may be what failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
