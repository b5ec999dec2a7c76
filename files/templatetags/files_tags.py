from django import template

from files import selectors, storage

register = template.Library()

ICONS = {
    "PDF": "bi-file-earmark-pdf",
    "Image": "bi-file-earmark-image",
    "Spreadsheet": "bi-file-earmark-spreadsheet",
    "Document": "bi-file-earmark-word",
    "Archive": "bi-file-earmark-zip",
    "Text": "bi-file-earmark-text",
}


@register.simple_tag
def upload_limit_bytes() -> int:
    return storage.max_upload_bytes()


@register.simple_tag
def upload_limit_mb() -> int:
    return storage.max_upload_bytes() // (1024 * 1024)


@register.filter
def file_kind(file_type: str) -> str:
    return selectors.type_label(file_type or "")


@register.filter
def file_icon(file_type: str) -> str:
    return ICONS.get(selectors.type_label(file_type or ""), "bi-file-earmark")
