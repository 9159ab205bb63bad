from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from polo.directory.models import Organization


@require_safe
def index(request):
    organizations = Organization.objects.published().select_related("municipality")[:50]
    return render(request, "directory/index.html", {"organizations": organizations})


@require_safe
def organization_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.published(), pk=pk)
    return render(request, "directory/organization_detail.html", {"organization": organization})


urlpatterns = [
    path("", index, name="index"),
    path("organizaciones/<int:pk>/", organization_detail, name="organization"),
]
