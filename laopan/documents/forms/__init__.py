"""The standard forms of a people's mediation case file (司法部 2010 人民调解文书格式; issue 14 item 1).

One module per document, each a small frozen input dataclass and a pure `build_…(…) -> Document`; the service
`laopan.services.case_documents` fills the inputs from a revealed case and renders them.
"""
