from django.core.management.base import BaseCommand, CommandError

from matching.models import Programme
from matching.services import run_automatch


class Command(BaseCommand):
    help = "Draft the best mentee-mentor assignment for a programme; --apply saves it as proposals."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="The programme's slug.")
        parser.add_argument("--apply", action="store_true", help="Save the matches as proposals to approve.")

    def handle(self, *args, programme: str, apply: bool, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(f"No programme with the slug {programme!r}.")
        report = run_automatch(found, apply=apply)
        ours, greedy = report.ours, report.greedy
        self.stdout.write(f"Pool: {report.pool_mentees} unmatched mentees, {report.pool_mentors} mentors with room.")
        self.stdout.write(
            f"Optimal: matched {ours.count}, total score {ours.total}, mean {ours.mean:.1f} "
            f"(certified gap {ours.certified_gap} after {ours.rounds} rounds, solver {ours.solver_seconds:.3f} s)"
        )
        self.stdout.write(f"Greedy:  matched {greedy.count}, total score {greedy.total}, mean {greedy.mean:.1f}")
        if apply:
            self.stdout.write(
                self.style.SUCCESS(f"Created {report.proposals_created} proposals for coordinators to approve.")
            )
        else:
            self.stdout.write("Nothing saved: run again with --apply to create the proposals.")
