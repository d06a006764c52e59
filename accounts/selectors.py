from django.utils import timezone

from .models import UserSession


def user_session_list(*, user, current_key):
    """The user's unexpired sessions, most recently used first, the current one marked."""
    sessions = list(UserSession.objects.filter(user=user, session__expire_date__gt=timezone.now()))
    for session in sessions:
        session.is_current = session.session_id == current_key
    return sessions
