import io

from django.core.management import call_command


def run_command(*args):
    """Run a management command; returns what it wrote to stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
