import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

application = get_wsgi_application()

# Web processes screen what people write while they wait: build the contact filter's tables at start-up.
import contactfilter  # noqa: E402 - after Django is set up

contactfilter.warm_up()
