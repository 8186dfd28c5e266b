from django.urls import include, path

from gongkai.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_view, name="otp"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/<str:day>/delete/", views.calendar_delete, name="calendar_delete"),
    path("agency/<slug:slug>/profile/", views.agency_profile, name="agency_profile"),
    path("", include("gongkai.workbench.applications_urls")),
    path("", include("gongkai.workbench.publishing_urls")),
    path("", include("gongkai.workbench.reports_urls")),
    path("", include("gongkai.workbench.reports_checker_urls")),
    path("", include("gongkai.workbench.supervision_urls")),
]
