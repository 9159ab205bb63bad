"""instruments"""

urlpatterns: list = []
