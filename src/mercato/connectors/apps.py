from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "mercato.connectors"
    label = "connectors"
