"""Directory views: see urls.py. (Being written.)"""

urlpatterns: list = []
