from __future__ import annotations

from autoattendant.management.commands._audited import AuditedCommand
from autoattendant.services.demo import do_load_demo
from autoattendant.services.demo_flow import MAIN_NUMBER


class Command(AuditedCommand):
    help = "Create (or refresh) the demo enterprise and print its logins and URLs."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url: str, **options):
        demo = do_load_demo()
        base = base_url.rstrip("/")
        out = self.stdout
        out.write(
            self.style.SUCCESS(f"Demo enterprise: {demo.enterprise.name} ({demo.enterprise.sid})")
        )
        out.write("")
        for login in demo.logins:
            out.write(f"  {login.role:<10} email {login.email}  password {login.password}")
            out.write(f"  {'':<10} accountSid {login.account_sid}  authToken {login.auth_token}")
        admin = next(x for x in demo.logins if x.role == "BG_ADMIN")
        out.write("")
        out.write(f"  Console:   {base}/console/")
        out.write(f"  Admin:     {base}/admin/")
        out.write(f"  API docs:  {base}/autoattendant/docs/")
        out.write("  Try the API:")
        out.write(
            f"    curl -u {admin.account_sid}:{admin.auth_token} {base}/autoattendant/user/search"
        )
        out.write("")
        out.write(f"  The demo's phone number: {MAIN_NUMBER}")
        out.write(f"  Restcomm webhook (Voice URL, POST):  {base}/autoattendant/internal/rcml")
        out.write(f"  Twilio/TwiML webhook (POST):         {base}/autoattendant/internal/twiml")
        out.write(f"  Voice fallback URL:                  {base}/autoattendant/internal/fallback")
        out.write("  Walk a call (another terminal):")
        out.write(
            f"    .venv/bin/python manage.py simulate_call {MAIN_NUMBER} --input 1,-,9 "
            f"--base-url {base}"
        )
        out.write(f"    curl -d To={MAIN_NUMBER} -d CallSid=CA1 {base}/autoattendant/internal/rcml")
        out.write("")
