"""Orders waiting for acceptance on the dashboard, in a real browser: the soonest due first
with the time left, and a decision taken there."""

from browser_cases import needs_chromium, sign_in

from mercato.orders.demo import place_demo_orders
from mercato.orders.models import Order

pytestmark = needs_chromium


def test_accept_the_order_due_first_from_the_dashboard(  # type: ignore[no-untyped-def]
    tab, live_server, seller, shoot
) -> None:
    place_demo_orders([seller.shop.id])
    sign_in(tab, live_server, seller)
    card = tab.locator("section", has=tab.get_by_role("heading", name="Commandes en attente"))
    rows = card.locator("tbody tr")
    assert "3 commandes à accepter ou refuser" in card.inner_text()
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == [
        f"DEMO-{seller.shop.id}-1-A",
        f"DEMO-{seller.shop.id}-2-A",
        f"DEMO-{seller.shop.id}-3-A",
    ]
    assert rows.first.locator("td").nth(3).inner_text() in ("4 h 59 min", "5 h 0 min")
    shoot(tab, "dashboard-orders")
    rows.first.get_by_role("button", name="Accepter").click()
    tab.get_by_text(f"Commande DEMO-{seller.shop.id}-1-A acceptée.").wait_for()
    assert "2 commandes à accepter ou refuser" in card.inner_text()
    order = Order.objects.get(order_id=f"DEMO-{seller.shop.id}-1-A")
    assert order.state == "WAITING_DEBIT_PAYMENT"
