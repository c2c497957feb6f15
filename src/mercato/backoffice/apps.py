from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "mercato.backoffice"
    label = "backoffice"
