"""What a file sent with an instance really is, from its first bytes.

A collecting app names its files (``1700000000000.jpg``) and declares a type,
and both can lie; what is kept is what the content says it is. Accepted:
images, audio, video and PDF — what a form's photo, audio, video and file
questions produce. Anything else (HTML, scripts, archives, executables) is
refused, whatever its name.
"""

from __future__ import annotations

SNIFF_BYTES = 64

# ISO base media (MP4, 3GP, HEIF...) brands at bytes 8-12, after "ftyp".
FTYP_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"avif": "image/avif",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
    b"3gp4": "video/3gpp",
    b"3gp5": "video/3gpp",
    b"3gp6": "video/3gpp",
    b"3gp7": "video/3gpp",
    b"3ge6": "video/3gpp",
    b"3ge7": "video/3gpp",
    b"3gg6": "video/3gpp",
    b"qt  ": "video/quicktime",
}
ALLOWED_PREFIXES = ("image/", "audio/", "video/")
ALLOWED_TYPES = {"application/pdf"}


def sniff(head: bytes) -> str:
    """The content type of a file from its first bytes, or '' if unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return FTYP_BRANDS.get(brand, "video/mp4")
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "audio/aac"  # ADTS
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"  # an MP3 frame without an ID3 tag
    return ""


def is_allowed(content_type: str) -> bool:
    return content_type.startswith(ALLOWED_PREFIXES) or content_type in ALLOWED_TYPES


def sniff_upload(upload) -> str:
    """The sniffed type of an uploaded file, leaving it at its start."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return sniff(head)
