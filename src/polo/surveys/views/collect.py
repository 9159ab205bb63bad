"""collect"""

urlpatterns: list = []
