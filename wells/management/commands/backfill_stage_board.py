from django.core.management.base import BaseCommand

from wells.services.stages import stages_put_on_board


class Command(BaseCommand):
    help = "Give stages written before OrgStageBoardIndex existed their board attributes (idempotent)."

    def handle(self, *args, **options):
        stages_put_on_board(log=lambda line: self.stdout.write(line))
