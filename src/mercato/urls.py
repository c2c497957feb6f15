from django.contrib import admin
from django.urls import include, path

from mercato.api.api import api

admin.site.site_header = "mercato — console opérateur"
admin.site.site_title = "mercato"
admin.site.index_title = "Configuration de la marketplace"

urlpatterns = [
    path("operator/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("mercato.backoffice.urls")),
]
