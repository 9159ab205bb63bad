from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    if not (request.user.is_authenticated and request.user.is_coordinator):
        raise PermissionDenied
    return render(request, "audit/index.html", {})
