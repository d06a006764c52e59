"""Evidence uploads: size-limited, and typed by their content, never by name or browser claim."""

from core.errors import DomainError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_content_type(head: bytes) -> str | None:
    return next((content_type for magic, content_type in _SIGNATURES if head.startswith(magic)), None)


def evidence_check(upload):
    """Return (upload, content type) or refuse a file that is too big or not a PDF, PNG or JPEG."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(f"{upload.name} is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB.", field="evidence")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise DomainError(f"{upload.name} is not a PDF, PNG or JPEG file.", field="evidence")
    return upload, content_type
