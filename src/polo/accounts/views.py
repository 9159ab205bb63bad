from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from polo.accounts.models import PrivacyNotice


@login_required
@require_safe
def profile(request):
    return render(request, "accounts/profile.html", {})


@require_safe
def privacy_notice(request):
    notice = PrivacyNotice.current()
    text = notice.text_for(get_language() or "es") if notice else ""
    return render(request, "accounts/privacy_notice.html", {"notice": notice, "text": text})
