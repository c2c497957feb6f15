from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "mercato.shops"
    label = "shops"
