"""The 协议 tab: editor, statutory check, page preview, signatures, printing and export."""
