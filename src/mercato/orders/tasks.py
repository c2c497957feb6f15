"""Background work of orders, run by the worker's sweep (backoffice/worker.py) every minute.

Safe to run twice, or in two workers at once: an order refused once no longer waits.
"""

from django.db import transaction

from mercato.orders import services


def expire_overdue_orders() -> list[str]:
    """Refuse the orders not accepted before their deadline; their order ids."""
    with transaction.atomic():
        return services.expire_orders()
