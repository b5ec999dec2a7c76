from django.core.management.base import BaseCommand

from welltrack.tables import ensure_tables


class Command(BaseCommand):
    help = "Create every missing DynamoDB table, GSI and TTL setting; change nothing that exists."

    def handle(self, *args, **options):
        ensure_tables(log=lambda line: self.stdout.write(line))
