"""The one place where errors become `/api` responses: `{"message": ..., "status": N}`."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mercato.errors import DomainError


def _describe(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path")]
    where = ".".join(loc) or "request"
    return f"Parameter '{where}': {error.get('msg', 'invalid value')}"


def install(api: NinjaAPI) -> None:
    def render(request: HttpRequest, message: str, status: int) -> HttpResponse:
        return api.create_response(request, {"message": message, "status": status}, status=status)

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return render(request, exc.message, exc.status)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return render(request, "; ".join(_describe(e) for e in exc.errors), 400)

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return render(request, "Unauthorized: send your API key in the Authorization header.", 401)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return render(request, str(exc), exc.status_code)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return render(request, str(exc) or "Not found", 404)

    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
