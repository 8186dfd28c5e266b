from django.urls import include, path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/<slug:slug>/", views.agency_detail, name="agency"),
    path("elderly/", views.elderly_mode, name="elderly"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("gongkai.portal.applications_urls")),
    path("", include("gongkai.portal.publishing_urls")),
    path("", include("gongkai.portal.reports_urls")),
    path("", include("gongkai.portal.supervision_urls")),
]
