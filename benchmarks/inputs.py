"""Input builders for the benchmark (`benchmarks/run.py`).

Every input is built from real, unique prose, never from one paragraph repeated (spaCy and
textstat cache by text, so repeated text would flatter every tool). The prose comes, in this
order, from:

1. the real tender documents in `../shared/corpus/`, read in place with plainbid's own readers
   (their distinct blocks, about 105,000 words); they are never copied into the project;
2. the Python documentation that ships inside CPython (`pydoc_data.topics`, about 65,000 words);
3. the docstrings of the Python standard library, then of the installed packages (paragraphs of
   at least 8 words that read as prose: code examples and tables are left out).

The inputs are written to a cache folder (`benchmarks/.inputs/`, ignored by git) and built only
when missing or when the builder's version changes. `build_all(folder, scale)` with a small
scale builds the same set in miniature: the test suite uses that to keep this file from rotting.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import sysconfig
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
CACHE_DIR = Path(__file__).resolve().parent / ".inputs"
# Bump when a builder changes what it writes: cached inputs of another version are rebuilt.
BUILDER_VERSION = 4
# plainbid refuses a document of more than 2,000,000 characters (plainbid.readers.MAX_TEXT_CHARS,
# about 330,000 words): the 1M-word text is a folder of parts below that.
PART_WORDS = 250_000

_WORD = re.compile(r"[^\s]*[^\W_][^\s]*")  # plainbid.nlp's word, so counts agree
_CODE_LINE = re.compile(r"^\s*(>>>|\.\.\.|\$ |[{}\[\]()]|def |class |import |from |@|#)")
_LATIN1_FIXES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\uf0b7": "-",
        "\uf0a7": "-",
    }
)


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


@dataclass
class Prose:
    """Distinct paragraphs in source order, each with its word count and source name."""

    paragraphs: list[str] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, text: str, source: str) -> bool:
        text = text.strip()
        key = " ".join(text.split())
        words = count_words(key)
        if not words or key in self._seen:
            return False
        self._seen.add(key)
        self.paragraphs.append(text)
        self.words.append(words)
        self.sources.append(source)
        return True

    @property
    def total(self) -> int:
        return sum(self.words)


# ---------------------------------------------------------------------------------- sources


def corpus_paragraphs() -> Iterator[str]:
    """The distinct blocks of the real documents, read in place with plainbid's readers."""
    from plainbid.readers import read_pack

    if not CORPUS_DIR.is_dir():
        return
    files = sorted(p for p in CORPUS_DIR.iterdir() if p.suffix in (".docx", ".pdf"))
    for file in files:  # one at a time, so a small build reads only the first
        for document in read_pack([str(file)]).documents:
            for block in document.blocks:
                if block.kind.value not in ("header", "footer"):
                    yield block.text


def _prose_like(paragraph: str, min_words: int = 8) -> bool:
    lines = paragraph.splitlines()
    if any(_CODE_LINE.match(line) for line in lines) or "::" in paragraph:
        return False
    if any(line.startswith("    ") for line in lines[1:]):  # an indented (code) block
        return False
    words = paragraph.split()
    if len(words) < min_words:
        return False
    alphabetic = sum(1 for w in words if w.strip(".,;:()'\"`").isalpha())
    return alphabetic >= 0.75 * len(words)


def pydoc_paragraphs() -> Iterator[str]:
    """The Python reference topics that ship inside CPython (`help('topics')`)."""
    try:
        from pydoc_data.topics import topics
    except ImportError:
        return
    for name in sorted(topics):
        for paragraph in re.split(r"\n\s*\n", topics[name]):
            if _prose_like(paragraph):
                yield " ".join(paragraph.split())


def docstring_paragraphs(roots: list[Path]) -> Iterator[str]:
    """Prose paragraphs of the docstrings of every module under `roots`, in path order."""
    for root in roots:
        for file in sorted(root.rglob("*.py")):
            parts = set(file.relative_to(root).parts)
            if parts & {"test", "tests", "idlelib", "site-packages", "__pycache__"}:
                continue
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
                continue
            for node in ast.walk(tree):
                if isinstance(
                    node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
                ):
                    docstring = ast.get_docstring(node)
                    if not docstring:
                        continue
                    for paragraph in re.split(r"\n\s*\n", docstring):
                        if _prose_like(paragraph):
                            yield " ".join(paragraph.split())


def prose(target_words: int) -> Prose:
    """At least `target_words` words of distinct paragraphs (fewer only if every source is
    used up), drawn from the corpus first, then the Python docs, then docstrings."""
    found = Prose()
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    purelib = Path(sysconfig.get_paths()["purelib"])
    sources = [
        ("corpus", corpus_paragraphs()),
        ("python-docs", pydoc_paragraphs()),
        ("stdlib-docstrings", docstring_paragraphs([stdlib])),
        ("package-docstrings", docstring_paragraphs([purelib])),
    ]
    for name, paragraphs in sources:
        for paragraph in paragraphs:
            if found.total >= target_words:
                return found
            found.add(paragraph, name)
    return found


# ---------------------------------------------------------------------------------- writers


def take(source: Prose, words: int, start: int = 0) -> tuple[list[str], int]:
    """Paragraphs from index `start` until `words` words; returns them and the next index."""
    taken: list[str] = []
    total = 0
    index = start
    while total < words and index < len(source.paragraphs):
        taken.append(source.paragraphs[index])
        total += source.words[index]
        index += 1
    return taken, index


def write_text(path: Path, paragraphs: list[str]) -> None:
    """Paragraphs separated by blank lines: plainbid reads each as one block."""
    path.write_text("\n\n".join(" ".join(p.split()) for p in paragraphs) + "\n", encoding="utf-8")


def _latin1(text: str) -> str:
    return text.translate(_LATIN1_FIXES).encode("latin-1", "replace").decode("latin-1")


# Line height and the space after a paragraph (mm): about 1,750 characters (290 words) a page,
# as in a typical tender document, so a 1,000-page PDF stays under plainbid's text limit.
LINE, GAP = 7.5, 4


def write_pdf(path: Path, paragraphs: list[str], pages: int, exact: bool = True) -> int:
    """A PDF of `pages` pages (A4, 12pt Helvetica, a numbered heading every 25 paragraphs)
    holding the paragraphs from the start; the last page is filled as far as a whole
    paragraph fits. Raises if the text runs out first (unless `exact` is False). Returns the
    number of words written."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.add_page()
    line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    used = 0
    for index, paragraph in enumerate(paragraphs):
        text = _latin1(" ".join(paragraph.split()))
        heading = index % 25 == 0
        if pdf.page_no() == pages:
            pdf.set_font("Helvetica", size=12)
            height = pdf.multi_cell(0, LINE, text, dry_run=True, output="HEIGHT") + GAP
            if heading:
                height += 7
            if pdf.will_page_break(height):
                break
        if heading:
            pdf.set_font("Helvetica", style="B", size=13)
            pdf.multi_cell(0, 7, f"{index // 25 + 1}. Section {index // 25 + 1}", **line)
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, LINE, text, **line)
        pdf.ln(GAP)
        used += count_words(text)
    if exact and pdf.page_no() < pages:
        raise ValueError(f"the prose ran out on page {pdf.page_no()} of {pages} ({path.name})")
    with warnings.catch_warnings():  # fpdf2 warns about its unused page-count alias
        warnings.simplefilter("ignore", UserWarning)
        pdf.output(str(path))
    return used


def write_docx(path: Path, paragraphs: list[str], tables: int) -> None:
    """A Word document: a heading every 20 paragraphs and `tables` tables spread evenly
    through it, each a question table of 6 rows x 3 columns whose cells take the next real
    paragraphs (a reference, a question and its guidance)."""
    from docx import Document as WordDocument

    document = WordDocument()
    due = [round((n + 1) * len(paragraphs) / (tables + 1)) for n in range(tables)]
    made = 0
    index = 0
    while index < len(paragraphs) or made < tables:
        while made < tables and due[made] <= index:
            table = document.add_table(rows=6, cols=3)
            table.style = "Table Grid"
            for column, label in enumerate(("Ref", "Question", "Guidance")):
                table.cell(0, column).text = label
            for row in range(1, 6):
                table.cell(row, 0).text = f"{made + 1}.{row}"
                for column in (1, 2):
                    if index < len(paragraphs):
                        table.cell(row, column).text = paragraphs[index]
                        index += 1
            made += 1
        if index >= len(paragraphs):
            continue
        if index % 20 == 0:
            document.add_heading(f"Section {index // 20 + 1}", level=1 + (index // 20) % 2)
        document.add_paragraph(paragraphs[index])
        index += 1
    document.save(str(path))


# ---------------------------------------------------------------------------------- the set


@dataclass
class Inputs:
    folder: Path
    meta: dict


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def build_all(folder: Path = CACHE_DIR, scale: float = 1.0, log=print) -> Inputs:
    """Build (or reuse) every input in `folder`. `scale` shrinks every size for tests: 1.0 is
    the real benchmark (10k, 100k and 1M words, 200- and 1,000-page PDFs, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    meta_file = folder / "inputs.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("version") == BUILDER_VERSION and meta.get("scale") == scale:
            return Inputs(folder, meta)

    def size(n: float) -> int:
        return max(1, round(n * scale))

    log(f"building benchmark inputs in {folder} (scale {scale}) ...")
    million = size(1_000_000)
    source = _cached_prose(folder, million)
    if source.total < million:
        log(f"  only {source.total:,} words of distinct prose found; the 1M text repeats it")
    meta: dict = {"version": BUILDER_VERSION, "scale": scale, "files": {}}
    by_source: dict[str, int] = {}
    for name, words in zip(source.sources, source.words, strict=True):
        by_source[name] = by_source.get(name, 0) + words
    meta["prose"] = {"distinct_words": source.total, "by_source": by_source}

    def record(key: str, path: Path, **facts) -> None:
        meta["files"][key] = {"path": path.name, **facts}
        log(f"  {path.name}: {facts}")

    # Texts: the first 10k and 100k words (real tender prose when the corpus is present).
    for key, words in (("text-10k", size(10_000)), ("text-100k", size(100_000))):
        paragraphs, _ = take(source, words)
        path = folder / f"{key}.txt"
        write_text(path, paragraphs)
        record(key, path, words=count_words(path.read_text()), paragraphs=len(paragraphs))

    # 1M words: every distinct paragraph once, then again from the start if they ran out.
    paragraphs = _cycled(source, million)
    path = folder / "text-1m"
    path.mkdir(exist_ok=True)
    for old in path.iterdir():
        old.unlink()
    part: list[str] = []
    part_words = words = parts = 0
    for paragraph in [*paragraphs, None]:
        if part and (paragraph is None or part_words >= size(PART_WORDS)):
            parts += 1
            write_text(path / f"part-{parts}.txt", part)
            words += part_words
            part, part_words = [], 0
        if paragraph is not None:
            part.append(paragraph)
            part_words += count_words(paragraph)
    record(
        "text-1m",
        path,
        words=words,
        parts=parts,
        paragraphs=len(paragraphs),
        distinct_paragraphs=len(set(paragraphs)),
        distinct_share=round(min(source.total, million) / million, 3),
    )

    # PDFs: 200 pages from the start of the prose, 1,000 pages from all of it.
    for key, pages in (("pdf-200", max(2, size(200))), ("pdf-1000", max(3, size(1000)))):
        path = folder / f"{key}.pdf"
        used = write_pdf(path, _cycled(source, pages * 400), pages)
        record(key, path, pages=pages, words=used)

    # A 100k-word Word document with 30 tables.
    paragraphs, _ = take(source, size(100_000))
    path = folder / "docx-100k.docx"
    write_docx(path, paragraphs, tables=30)
    record("docx-100k", path, words=sum(count_words(p) for p in paragraphs), tables=30)

    # A pack of 16 documents, about 150k words: 6 .docx, 5 .pdf, 5 .txt, each a different
    # slice of the prose (taken after the first 100k words, so it overlaps the texts little).
    pack = folder / "pack-16"
    pack.mkdir(exist_ok=True)
    for old in pack.iterdir():
        old.unlink()
    start = 0 if source.total < size(250_000) else take(source, size(100_000))[1]
    per_document = size(150_000 / 16)
    pack_words = 0
    for number in range(16):
        paragraphs, start = take(source, per_document, start)
        if len(paragraphs) == 0:
            paragraphs, start = take(source, per_document, 0)
        kind = ("docx", "pdf", "txt")[number % 3] if number < 15 else "docx"
        file = pack / f"{number + 1:02d}-document.{kind}"
        if kind == "docx":
            write_docx(file, paragraphs, tables=2)
            pack_words += sum(count_words(p) for p in paragraphs)
        elif kind == "pdf":
            pack_words += write_pdf(file, paragraphs, _pdf_pages_for(paragraphs), exact=False)
        else:
            write_text(file, paragraphs)
            pack_words += sum(count_words(p) for p in paragraphs)
    record("pack-16", pack, documents=16, words=pack_words)

    # 1,000 small documents for the memory-over-time run: a different ~300-word slice each;
    # every 10th is a .docx and every 10th (offset 5) a one-page PDF.
    many = folder / "many"
    many.mkdir(exist_ok=True)
    for old in many.iterdir():
        old.unlink()
    count = max(10, size(1000))
    start = 0
    for number in range(count):
        paragraphs, start = take(source, 300, start)
        if not paragraphs:
            paragraphs, start = take(source, 300, 0)
        if number % 10 == 0:
            write_docx(many / f"{number:04d}.docx", paragraphs, tables=0)
        elif number % 10 == 5:
            write_pdf(many / f"{number:04d}.pdf", paragraphs, 1, exact=False)
        else:
            write_text(many / f"{number:04d}.txt", paragraphs)
    record("many", many, documents=count)

    meta["created_with"] = sys.version.split()[0]
    meta["digest"] = _digest(
        sorted(p for p in folder.glob("*.*") if p.name not in ("inputs.json", "prose.json"))
    )
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    return Inputs(folder, meta)


def _cached_prose(folder: Path, words: int) -> Prose:
    """`prose(words)`, kept in the cache folder: gathering docstrings takes minutes."""
    cache = folder / "prose.json"
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("words") == words and data.get("corpus") == CORPUS_DIR.is_dir():
            found = Prose()
            for paragraph, source in zip(data["paragraphs"], data["sources"], strict=True):
                found.add(paragraph, source)
            return found
    found = prose(words)
    data = {"words": words, "corpus": CORPUS_DIR.is_dir()}
    data |= {"paragraphs": found.paragraphs, "sources": found.sources}
    cache.write_text(json.dumps(data), encoding="utf-8")
    return found


def _cycled(source: Prose, words: int) -> list[str]:
    """The prose's paragraphs from the start, again from the start if they run out."""
    paragraphs: list[str] = []
    total = 0
    while total < words:
        for paragraph, count in zip(source.paragraphs, source.words, strict=True):
            paragraphs.append(paragraph)
            total += count
            if total >= words:
                break
    return paragraphs


def _pdf_pages_for(paragraphs: list[str]) -> int:
    """About how many pages the paragraphs fill (roughly 290 words a page)."""
    return max(1, sum(count_words(p) for p in paragraphs) // 290)


if __name__ == "__main__":
    built = build_all()
    print(json.dumps(built.meta, indent=2))
