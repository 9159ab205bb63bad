"""The qualitative diagnosis's views, one module per area; each lists its own
``urlpatterns`` (see ``qualitative/urls.py``).

Every staff view: visitors are sent to sign in; a session or passage the person
may not see is a 404, an action they may not take a 403 (rules.py). Forms are
plain POSTs that work without JavaScript; services do the writing.
"""
