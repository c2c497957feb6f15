"""The workers' sweep refuses the orders not accepted in time.

`transaction=True`: the sweep runs in its own thread, with its own database connection.
"""

import time
from typing import Any

import pytest
from order_cases import order_of

from mercato.backoffice.worker import start_recovery_thread
from mercato.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_workers_sweep_refuses_an_overdue_order(alpha: Any) -> None:
    order = order_of(alpha.shop)  # placed on 2026-11-20: long overdue
    stop = start_recovery_thread(every=0.05)
    try:
        deadline = time.monotonic() + 20
        while Order.objects.get(id=order.id).state != "REFUSED" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    time.sleep(0.2)  # the sweep's last round ends
    assert list(order.lines.values_list("state", flat=True)) == ["REFUSED", "REFUSED"]
