"""The self-assessment's URLs (mounted at /autodiagnostico/, namespace
"assessments"): each views module lists its own patterns."""

app_name = "assessments"

urlpatterns: list = []
