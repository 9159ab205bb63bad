"""openrosa"""

urlpatterns: list = []
