"""The seller's decision on an order from the dashboard: accept it or refuse it whole, with
the same service as OR21."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercato.backoffice.seller import seller_page
from mercato.orders.services import OrderInvalidState
from mercato.orders.services import decide_order as decide
from mercato.shops.models import Shop

DECISIONS = {"accept": True, "refuse": False}


@require_POST
@seller_page
def decide_order(request: HttpRequest, shop: Shop, order_id: str) -> HttpResponse:
    accepted = DECISIONS.get(request.POST.get("decision", ""))
    if accepted is None:
        messages.error(request, _("Choisissez d'accepter ou de refuser la commande."))
        return redirect("backoffice:dashboard")
    try:
        with transaction.atomic():
            decide(shop, order_id, accepted)
    except OrderInvalidState:
        # Decided meanwhile, through the API or the deadline.
        messages.error(
            request, _("La commande %(id)s n'attend plus de décision.") % {"id": order_id}
        )
    else:
        done = _("Commande %(id)s acceptée.") if accepted else _("Commande %(id)s refusée.")
        messages.success(request, done % {"id": order_id})
    return redirect("backoffice:dashboard")
