"""Pages of the back office. Until the seller back office exists, a landing page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import mercato


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html", {"version": mercato.__version__})
