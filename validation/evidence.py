"""Evidence uploads, size-limited and typed by their content (never by name or browser claim), and their download."""

import unicodedata

from django.http import FileResponse

from core.errors import DomainError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
MAX_NAME_STEM = 190  # plus the extension fits TicketEvidence.original_name
_EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}


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
    upload.name = evidence_name(upload.name, content_type)
    return upload, content_type


def evidence_name(name: str, content_type: str) -> str:
    """The name the file is stored and downloaded under: no control characters, and an extension
    that says what the content is, so "loa.pdf.html" is never opened by a browser as a page."""
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C")).strip() or "evidence"
    known = next((extension for extension in _EXTENSIONS[content_type] if name.lower().endswith(extension)), None)
    if known is None:
        return f"{name[:MAX_NAME_STEM]}{_EXTENSIONS[content_type][0]}"
    stem, extension = name[: -len(known)], name[-len(known) :]
    return f"{stem[:MAX_NAME_STEM]}{extension}"


def evidence_file_response(evidence) -> FileResponse:
    """The stored file as a download under its checked name and sniffed type, sandboxed so that a
    browser never runs it as a page (the approvals page and the API serve it alike)."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
