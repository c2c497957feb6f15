from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "mercato.imports"
    label = "imports"
