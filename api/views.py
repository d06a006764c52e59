"""Your API tokens: create one (its key shown once, on the answer to the POST), list, revoke; and the
answer to an /api/ path that names no resource."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from circuits.forms import form_add_domain_error
from core.errors import DomainError

from .forms import ApiTokenForm
from .problems import PROBLEM_JSON, problem_body
from .selectors import api_tokens_of
from .services import api_token_create, api_token_revoke


def token_list(request):
    form = ApiTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            form = ApiTokenForm()
            messages.success(request, f"Token “{token.name}” created. Copy its key now: it is not shown again.")
    context = {"form": form, "key": key, "tokens": api_tokens_of(user=request.user)}
    response = render(request, "api/token_list.html", context)
    add_never_cache_headers(response)  # a new key must not survive in any cache
    return response


@require_POST
def token_revoke(request, token_pk):
    """Revoke one of your own tokens; any other id is simply not yours (nothing happens, same answer)."""
    token = api_token_revoke(user=request.user, token_id=token_pk)
    if token is not None:
        messages.success(request, f"Token “{token.name}” revoked: scripts using it are refused from now on.")
    return redirect("api:token_list")


@login_not_required
def not_found(request):
    """A problem, as the resources' own 404s are, rather than the site's HTML page: a script reads the
    answer's type before its body. Reached by paths no route takes, ids past int()'s digit limit included."""
    body = problem_body(404, "No such API resource: /api/docs/ lists them.")
    return JsonResponse(body, status=404, content_type=PROBLEM_JSON)
