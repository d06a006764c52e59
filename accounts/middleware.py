from .services import user_session_seen


class SessionTrackingMiddleware:
    """Keeps "last seen" and the address of each signed-in session (at most one write a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.session_key and request.user.is_authenticated:
            user_session_seen(request=request)
        return self.get_response(request)
