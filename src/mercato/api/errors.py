"""The one place where errors become `/api` responses: `{"message": ..., "status": N}`."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.main import ExcHandler

from mercato.errors import DomainError

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Exception)


def _describe(request: HttpRequest, error: dict[str, Any]) -> str:
    """One pydantic error as a sentence naming the parameter and, for a query, its value."""
    source, *rest = [str(part) for part in error.get("loc", ())] or ["request"]
    where = ".".join(rest) or source
    message = f"Parameter '{where}': {error.get('msg', 'invalid value')}"
    # ninja drops the rejected input from its errors; a query parameter's is in the URL.
    if source == "query" and len(rest) == 1 and rest[0] in request.GET:
        message += f", got '{request.GET[rest[0]]}'"
    return message + "."


def install(api: NinjaAPI) -> None:
    def render(request: HttpRequest, message: str, status: int) -> HttpResponse:
        return api.create_response(request, {"message": message, "status": status}, status=status)

    def on(exc_class: type[E], handle: Callable[[HttpRequest, E], HttpResponse]) -> None:
        # ninja's handler type also admits the exception class; it only ever passes instances.
        api.add_exception_handler(exc_class, cast("ExcHandler[E]", handle))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unexpected error on %s %s", request.method, request.path, exc_info=exc)
        return render(request, "Internal server error.", 500)

    on(Exception, on_unexpected)
    on(DomainError, lambda request, exc: render(request, exc.message, exc.status))
    on(
        ValidationError,
        lambda request, exc: render(
            request, " ".join(_describe(request, e) for e in exc.errors), 400
        ),
    )
    on(
        AuthenticationError,
        lambda request, exc: render(
            request, "Unauthorized: send your API key in the Authorization header.", 401
        ),
    )
    on(HttpError, lambda request, exc: render(request, str(exc), exc.status_code))
    on(Http404, lambda request, exc: render(request, str(exc) or "Not found.", 404))
