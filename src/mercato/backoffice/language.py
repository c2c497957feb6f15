"""The language of the back office: French unless the user chose another one.

The browser's Accept-Language is not followed: the marketplace speaks French first (the
seller guide), and English is a choice made with the switch, kept in Django's language cookie.
"""

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from mercato.errors import DomainError

# The locales of the offer messages (offers/offer_errors.py) by interface language.
_MESSAGE_LOCALES = {"fr": "fr_FR", "en": "en_US"}


def chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The language comes from a cookie: caches must keep one copy per cookie.
        patch_vary_headers(response, ("Cookie",))
        return response


def message_locale() -> str:
    """The locale to render offer import messages in, after the interface's language."""
    return _MESSAGE_LOCALES.get(translation.get_language() or "", "fr_FR")


@runtime_checkable
class Localized(Protocol):
    """A domain error that can say itself in another language than its `message`'s."""

    def render(self, locale: str) -> str: ...


def error_text(error: DomainError) -> str:
    """A domain error's message, in the interface's language when it can say it there."""
    if isinstance(error, Localized):
        return error.render(message_locale())
    return error.message


def localized_label(label: str, labels: dict[str, str]) -> str:
    """An operator label (state, logistic class, channel) in the interface's language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == "fr":
        return label
    return labels.get(language) or label
