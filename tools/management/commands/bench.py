from django.core.management.base import BaseCommand

from tools.bench import run_bench, write


class Command(BaseCommand):
    help = (
        "Seed the benchmark database and run every benchmark; writes bench/results/latest.json and docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Small data and short runs (under two minutes).")
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--messages", type=int, default=1_000_000)

    def handle(self, *args, quick, users, messages, **options):
        results = run_bench(quick=quick, users=users, messages=messages, progress=self.stdout.write)
        self.stdout.write(write(results))
