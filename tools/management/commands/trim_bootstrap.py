"""Write Bootstrap's trimmed stylesheet (tools/bootstrap_css.py) with PurgeCSS from npm: `make css`."""

import json
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tools import bootstrap_css

PURGECSS = bootstrap_css.PROJECT / ".venv" / "css" / "node_modules" / "purgecss" / "bin" / "purgecss.js"


class Command(BaseCommand):
    help = "Trim Bootstrap's stylesheet to the rules our pages can use (PurgeCSS): static/vendor/bootstrap."

    def handle(self, *args, **options):
        if not PURGECSS.exists():
            raise CommandError("PurgeCSS is missing: run `make css`, which installs it.")
        sizes = {}
        for full, trimmed in bootstrap_css.PAIRS:
            with tempfile.TemporaryDirectory() as folder:
                config = Path(folder) / "purgecss.config.cjs"
                config.write_text(bootstrap_css.purgecss_config(full))
                done = subprocess.run(  # noqa: S603 - our own arguments
                    ["node", str(PURGECSS), "--config", str(config), "--output", folder],  # noqa: S607
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if done.returncode != 0:
                    raise CommandError(done.stderr[-2000:])
                written = Path(folder) / full.name
                # PurgeCSS keeps the source-map comment of the full file, whose map does not fit the trimmed one.
                text = "\n".join(line for line in written.read_text().splitlines() if "sourceMappingURL" not in line)
            trimmed.write_text(text.strip() + "\n")
            sizes[trimmed.name] = {"full_bytes": full.stat().st_size, "trimmed_bytes": trimmed.stat().st_size}
        self.stdout.write(json.dumps(sizes) + "\n")
