from django.core.management.base import BaseCommand

from devtools.demo import ADMIN, DEMO_USERS, seed_demo_estate


class Command(BaseCommand):
    help = "Create demo users (one per role) and a realistic estate of circuits. Idempotent."

    def handle(self, *args, **options):
        created, _ = seed_demo_estate()
        self.stdout.write(f"Demo circuits created: {created}" if created else "Demo estate already present.")
        self.stdout.write("Demo logins (demo only):")
        for username, (role, password, _team) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10} {password:<22} ({role})")
        self.stdout.write(f"  {ADMIN[0]:<10} {ADMIN[1]:<22} (superuser, /admin/)")
