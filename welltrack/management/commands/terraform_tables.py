from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from welltrack.terraform import render

TARGET = Path(settings.BASE_DIR) / "deploy" / "terraform" / "tables.tf.json"


class Command(BaseCommand):
    help = "Write deploy/terraform/tables.tf.json from the PynamoDB models (tables, GSIs, TTL, PITR, encryption)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the file differs from the models.")

    def handle(self, *args, check=False, **options):
        document = render()
        if check:
            if not TARGET.exists() or TARGET.read_text() != document:
                raise SystemExit(f"{TARGET} is out of date: run `python manage.py terraform_tables`.")
            self.stdout.write("Terraform tables match the models.")
            return
        TARGET.write_text(document)
        self.stdout.write(f"Wrote {TARGET}")
