from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class PrivatePagesNotCachedMiddleware:
    """Pages shown to a signed-in person hold their private data: no cache may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


class StyledMethodNotAllowedMiddleware:
    """Django answers a wrong HTTP method with an empty 405; people deserve a real page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            styled = render(request, "405.html", status=405)
            styled["Allow"] = response.get("Allow", "")
            return styled
        return response
