"""The consultations' views: the public pages, voting, and managing one."""

from polo.consultations.views import manage, public, voting

# The managers' fixed paths ("nueva/") come before the public "<slug>/".
urlpatterns = [*manage.urlpatterns, *public.urlpatterns, *voting.urlpatterns]
