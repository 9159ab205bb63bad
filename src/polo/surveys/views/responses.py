"""responses"""

urlpatterns: list = []
