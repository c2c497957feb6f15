"""A method an /api path does not take gets the API's error body, not ninja's plain text."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed


class MethodNotAllowedAsJson:
    """ninja answers 405 itself, before any of its exception handlers: rewrite its body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or not request.path.startswith("/api/"):
            return response
        allowed = response["Allow"]
        message = f"{request.method} is not allowed on {request.path}: use {allowed}."
        return HttpResponseNotAllowed(
            [method.strip() for method in allowed.split(",")],
            content=json.dumps({"message": message, "status": 405}),
            content_type="application/json; charset=utf-8",
        )
