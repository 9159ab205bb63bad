"""io"""

urlpatterns: list = []
