from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import views

# The admin has no password form of its own: signing in goes through allauth's login, which
# carries the rate limits and the e-mail verification, so /admin/ cannot be brute-forced.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = format_lazy(_("{name} administration"), name=settings.PLATFORM_NAME)
admin.site.site_title = format_lazy(_("{name} admin"), name=settings.PLATFORM_NAME)
admin.site.index_title = _("Programme coordination")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("notifications/", include("notices.urls")),
    path("", include("sso.urls")),
    path("", include("training.urls")),
    path("", include("consent.urls")),
    path("", include("matching.urls")),
    path("", include("agreements.urls")),
    path("", include("checkins.urls")),
    path("", include("guides.urls")),
    path("", include("meetings.urls")),
    path("", include("messaging.urls")),
    path("", include("inbound_mail.urls")),
    path("", include("coordination.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:  # `make bench` only: the framework's floor it measures the thread page against
    from tools import bench_views

    urlpatterns += [path("bench/hello", bench_views.hello), path("bench/session", bench_views.session)]
if settings.BENCH_POSTMAN:
    urlpatterns += [path("postman/", include("postman.urls", namespace="postman"))]
