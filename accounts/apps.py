from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_record_session, dispatch_uid="accounts.record_session")


def _record_session(sender, request, user, **kwargs):
    """Every log-in (password, single sign-on, the test client's) starts a tracked session."""
    from .services import user_session_start

    if request is not None and hasattr(request, "session"):
        user_session_start(request=request, user=user)
