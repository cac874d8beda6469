from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Benchmarks, the soak run, demo and scale seeding, and the SMTP sink they and the tests use.

    Development and benchmarking only: no runtime app imports this package (import-linter checks it),
    and settings install it only where TOOLS is on (the default; production images set it off). Its
    commands need the development requirements (aiosmtpd, httpx, tqdm)."""

    name = "tools"
    verbose_name = "Development tools"
