"""The demo catalog (data/catalog.yaml) as the matching path sees it, for pure tests: snapshot, view and recogniser,
built once per test process. No model, no database."""

from __future__ import annotations

from pathlib import Path

from bot.pipeline import CatalogView
from bot.slots import Recogniser
from catalog.io import load_catalog_file
from catalog.snapshot import CatalogSnapshot

ROOT = Path(__file__).resolve().parents[1]
DATA = load_catalog_file(ROOT / "data/catalog.yaml")
SNAPSHOT = CatalogSnapshot(
    version=1, products={p.id: p for p in DATA.products}, faqs={f.id: f for f in DATA.faqs}, synonyms=DATA.synonyms
)
VIEW = CatalogView.build(SNAPSHOT)
RECOGNISER = Recogniser.build(SNAPSHOT)
