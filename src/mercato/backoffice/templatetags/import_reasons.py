"""`{{ imp|reason }}`: an import's reason (offer or product) in the interface's language."""

from django import template

from mercato.backoffice.language import message_locale
from mercato.imports.reasons import WithReason, reason_text

register = template.Library()


@register.filter
def reason(found: WithReason) -> str:
    return reason_text(found, message_locale())
