from django.urls import include, path

urlpatterns = [
    path("workbench/", include("gongkai.workbench.urls")),
    path("api/v1/", include("gongkai.api.urls")),
    path("", include("gongkai.portal.urls")),
]

handler404 = "gongkai.portal.views.page_not_found"
handler500 = "gongkai.portal.views.server_error"
