from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/<slug:slug>/", views.agency_detail, name="agency"),
    path("elderly/", views.elderly_mode, name="elderly"),
]
