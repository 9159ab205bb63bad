from polo.surveys.views import collect, instruments, io, responses

app_name = "surveys"

urlpatterns = [
    *instruments.urlpatterns,
    *collect.urlpatterns,
    *responses.urlpatterns,
    *io.urlpatterns,
]
