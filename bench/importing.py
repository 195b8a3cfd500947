"""Import of exported cases (issue 10 item 6): `laopan case import` of N cases beside `laopan demo` writing the
same N cases, both into a fresh copy of the template. Target: the import within 2× the demo's time."""

import json
import shutil
import time
from pathlib import Path

from sqlalchemy import text

from bench import bench_desk
from laopan.clock import Clock
from laopan.storage import make_engine


def _desk(template: Path, db: Path, clock: Clock):
    db.unlink(missing_ok=True)
    shutil.copyfile(template, db)
    return bench_desk(make_engine(f"sqlite:///{db}"), clock=clock)


def measure_import(template: Path, workdir: Path, *, cases: int, clock: Clock) -> tuple[float, float]:
    """(seconds to import `cases` exported demo cases — parse, check, write, commit; seconds for the demo to write
    the same cases). The exported file is made once and kept in `workdir`."""
    from laopan.demo import generate_demo
    from laopan.interchange.export import export_cases
    from laopan.interchange.reading import read_document
    from laopan.services.intake import import_cases

    exported = workdir / f"export-{cases}.json"
    source = _desk(template, workdir / "import-source.db", clock)
    started = time.perf_counter()
    generate_demo(source.engine, committee_id=source.committee_id, cases=cases, seed=3, clock=clock)
    demo_s = time.perf_counter() - started
    if not exported.exists():
        with source.session() as session:
            ids = list(session.execute(text("SELECT id FROM mediation_case ORDER BY id")).scalars())
            exported.write_text(json.dumps(export_cases(session, actor=source.actor, case_ids=ids), ensure_ascii=False), encoding="utf-8")
    source.engine.dispose()
    (workdir / "import-source.db").unlink()

    target = _desk(template, workdir / "import-target.db", clock)
    started = time.perf_counter()
    document = read_document(str(exported))
    with target.session() as session:
        report = import_cases(session, actor=target.actor, document=document)
    import_s = time.perf_counter() - started
    target.engine.dispose()
    (workdir / "import-target.db").unlink()
    assert len(report.registered) == cases
    return import_s, demo_s
