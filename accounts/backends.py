"""Log-in: Django's model backend behind django-axes' lockout check, as one backend.

One backend rather than axes' recommended pair, because with several backends Django needs an
explicit `backend=` wherever it asks "which users have this permission" (`with_perm`) or logs a
user in without authenticate() (`force_login`)."""

from axes.backends import AxesBackend
from django.contrib.auth.backends import ModelBackend


class ThrottledModelBackend(AxesBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)  # raises when locked out
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
