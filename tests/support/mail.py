"""A mail backend for test workers (ONRAMP_EMAIL_BACKEND=tests.support.mail.FailOnceBackend): the
first attempt fails as an unreachable SMTP server does, later ones are written to a folder
(ONRAMP_TEST_MAIL_DIR), one file per message. State is kept in that folder, not in memory, as the
retry may run in another process of the worker's pool."""

import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FailOnceBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["ONRAMP_TEST_MAIL_DIR"])
        failed_once = folder / "failed-once"
        if not failed_once.exists():
            failed_once.touch()
            raise ConnectionRefusedError("[Errno 111] Connection refused (the test's mail server is down once)")
        for message in email_messages:
            (folder / f"sent-{len(list(folder.glob('sent-*')))}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
