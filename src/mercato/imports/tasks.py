"""Background jobs of imports. They take ids and are safe to run twice."""

from django_tasks import task

from mercato.imports import services


@task()
def offer_import_task(import_id: int) -> None:
    services.run_offer_import(import_id)


@task()
def product_import_task(import_id: int) -> None:
    services.run_product_import(import_id)
