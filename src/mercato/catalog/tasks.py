"""Background jobs of the catalog. They take ids and are safe to run twice."""

from django.db import transaction
from django_tasks import task

from mercato.catalog import quality_summary


@task()
def quality_summary_task(shop_id: int) -> None:
    with transaction.atomic():
        quality_summary.refresh_quality_summary(shop_id)
