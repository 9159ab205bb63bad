"""The self-assessment's URLs (mounted at /autodiagnostico/, namespace
"assessments"): each views module lists its own patterns."""

from polo.assessments.views import plan, programme, results, taking

app_name = "assessments"

urlpatterns = [
    *programme.urlpatterns,
    *taking.urlpatterns,
    *results.urlpatterns,
    *plan.urlpatterns,
]
