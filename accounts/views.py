import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from .oidc import sso_enabled
from .selectors import user_session_list
from .services import user_password_changed, user_sessions_end
from .throttling import password_reset_address_allowed, password_reset_client_allowed


def local_login_only(view):
    """Password pages exist only while local log-in is on (ONRAMP_LOCAL_LOGIN)."""

    @functools.wraps(view)  # keeps the view's login_not_required mark
    def wrapped(request, *args, **kwargs):
        if not settings.ONRAMP_LOCAL_LOGIN:
            raise Http404("Password log-in is turned off; sign in with single sign-on.")
        return view(request, *args, **kwargs)

    return wrapped


class LoginView(auth_views.LoginView):
    """Password form and/or "Sign in with <provider>", as configured."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            local_login=settings.ONRAMP_LOCAL_LOGIN,
            sso_enabled=sso_enabled(),
            sso_name=settings.ONRAMP_OIDC_NAME,
            sso_failed="sso" in self.request.GET,
            password_reset=settings.ONRAMP_LOCAL_LOGIN,
        )

    def post(self, request, *args, **kwargs):
        if not settings.ONRAMP_LOCAL_LOGIN:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Throttled per client (an answer saying so) and per address asked for (silently, so the page
    reveals nothing about the address); mails nothing unless e-mail is configured."""

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if not password_reset_client_allowed(self.request):
            form.add_error(None, "Too many password reset requests from your address. Try again later.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if settings.ONRAMP_PASSWORD_RESET_EMAIL and password_reset_address_allowed(form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends every other session of the user; this one stays."""

    def form_valid(self, form):
        form.save()
        user_password_changed(request=self.request, user=form.user)
        return HttpResponseRedirect(self.get_success_url())


def session_list(request):
    return render(
        request,
        "accounts/session_list.html",
        {
            "sessions": user_session_list(user=request.user, current_key=request.session.session_key),
            "local_login": settings.ONRAMP_LOCAL_LOGIN and request.user.has_usable_password(),
        },
    )


@require_POST
def session_end(request):
    """End one of the user's sessions (by its public id), or all the others (`others`)."""
    current_key = request.session.session_key
    if "others" in request.POST:
        ended = user_sessions_end(user=request.user, keep=current_key)
    else:
        wanted = request.POST.get("session", "")
        sessions = user_session_list(user=request.user, current_key=current_key)
        keys = [session.session_id for session in sessions if session.public_id == wanted]
        # This very session ends by logging out, which the page offers instead.
        ended = user_sessions_end(user=request.user, session_keys=keys, keep=current_key)
    messages.success(request, f"Ended {ended} session{'' if ended == 1 else 's'}.")
    return redirect("session_list")
