from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "RunThru for parents and directors"
admin.site.site_title = "RunThru admin"
admin.site.index_title = "At a glance"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("web.urls")),
    path("", include("web.pages.urls")),
]
