from django.urls import path

from gongkai.api.v1 import api

urlpatterns = [path("", api.urls)]
