import time

from .instruments import REQUEST_SECONDS


class RequestLatencyMiddleware:
    """Times every request, labelled by the route's name (not its path: ids would explode the series)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "unresolved"
        REQUEST_SECONDS.labels(view, request.method).observe(time.monotonic() - started)
        return response
