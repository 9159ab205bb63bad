"""The agendas' views, one module per side: the public, the participants and
the facilitators. Fixed paths come before an agenda's slug."""

from polo.agendas.views import manage, participation, public

urlpatterns = [
    *public.urlpatterns[:1],
    *manage.urlpatterns[:1],
    *public.urlpatterns[1:],
    *participation.urlpatterns,
    *manage.urlpatterns[1:],
]
