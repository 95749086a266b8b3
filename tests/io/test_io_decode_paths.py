"""Decoding bytes and expanding paths: the specification of what mtcheck will read."""

from __future__ import annotations

import codecs
import os

import pytest

from mtcheck.errors import InputError, UsageError
from mtcheck.io.decode import decode_bytes
from mtcheck.io.loaders import iter_documents, load_path, read_bytes
from mtcheck.io.paths import expand_paths, format_for, normalize_format

TEXT = "«Kyiv» — “naïve” café, 3,5 millones.\r\nSecond line\rthird\n"


@pytest.mark.parametrize(
    "data,encoding,bom",
    [
        (TEXT.encode("utf-8"), "utf-8", b""),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", codecs.BOM_UTF32_LE),
    ],
)
def test_unicode_encodings_decode_exactly_and_round_trip(data, encoding, bom):
    d = decode_bytes(data, "x.txt")
    assert d.text == TEXT  # newlines untouched, BOM removed
    assert (d.encoding, d.bom, d.warnings) == (encoding, bom, ())
    assert d.encode(d.text) == data


def test_legacy_encoding_is_detected_with_a_warning():
    text = ("El presidente señaló que la situación económica había mejorado según los datos "
            "de la región, aunque la población aún sufría. ") * 3
    d = decode_bytes(text.encode("latin-1"), "es.txt")
    assert d.text == text
    assert d.encoding in {"latin_1", "iso8859-1", "cp1252", "iso8859-15", "cp1250", "iso8859-2"}
    assert len(d.warnings) == 1 and "not valid UTF-8" in d.warnings[0] and d.encoding in d.warnings[0]


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"abc\x00def", bytes(range(0, 32)) * 20])
def test_binary_input_is_a_clear_error(data):
    with pytest.raises(InputError, match=r"^bin\.dat: looks like a binary file"):
        decode_bytes(data, "bin.dat")


def test_bom_with_invalid_body_is_an_error():
    with pytest.raises(InputError, match="utf-16-le byte-order mark but is not valid"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a", "odd.txt")


def test_empty_input_is_fine():
    assert decode_bytes(b"", "e.txt").text == ""


def test_size_cap(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match=r"big\.txt: is 2 kB, larger than the 1 kB limit"):
        read_bytes(str(p), max_bytes=1024)
    assert len(read_bytes(str(p), max_bytes=4096)) == 2048


def test_formats_from_extension_or_explicit():
    assert [format_for(p) for p in ("a.txt", "b.MD", "c.markdown", "d.html", "e.htm", "f.rst", None)] == [
        "text", "markdown", "markdown", "html", "html", "text", "text"]
    assert format_for("a.txt", "md") == "markdown"
    assert normalize_format("HTML") == "html"
    with pytest.raises(UsageError, match="unknown input format 'pdf'"):
        normalize_format("pdf")


def _tree(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "b" / "y.md").write_text("y")
    (tmp_path / "a.html").write_text("<p>a</p>")
    (tmp_path / "notes.rst").write_text("skipped in folders")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden")
    (tmp_path / ".hidden.txt").write_text("hidden")
    return tmp_path


def test_folders_recurse_sorted_skipping_hidden_and_unknown_extensions(tmp_path):
    root = _tree(tmp_path)
    got = expand_paths([str(root)])
    assert [os.path.relpath(p, root) for p in got] == ["a.html", os.path.join("b", "y.md"), os.path.join("b", "z.txt")]


def test_globs_duplicates_and_missing(tmp_path):
    root = _tree(tmp_path)
    got = expand_paths([f"{root}/**/*.txt", str(root / "b" / "z.txt"), str(root / "b"), f"{root}/*.pdf", str(root / "nope.txt")])
    files = [p for p in got if isinstance(p, str)]
    errors = [str(e) for e in got if isinstance(e, InputError)]
    assert [os.path.relpath(p, root) for p in files] == [os.path.join("b", "z.txt"), os.path.join("b", "y.md")]
    assert errors == [f"{root}/*.pdf: no files match this pattern", f"{root / 'nope.txt'}: no such file or directory"]


def test_an_explicit_file_of_any_extension_is_read_as_text(tmp_path):
    p = tmp_path / "notes.rst"
    p.write_text("Hello.")
    assert load_path(str(p)).fmt == "text"


def test_unreadable_entries_in_a_folder_do_not_stop_the_batch(tmp_path):
    (tmp_path / "a.txt").write_text("First.")
    os.symlink(tmp_path / "missing-target.txt", tmp_path / "b.txt")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "d.txt").write_text("Last.")
    items = list(iter_documents([str(tmp_path)]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "InputError", "InputError", "Document"]
    assert items[1].path.endswith("b.txt") and "broken symbolic link" in str(items[1])
    assert items[2].path.endswith("c.txt") and "binary" in str(items[2])


def test_a_directory_named_like_a_file_is_walked_not_read(tmp_path):
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text("Inner.")
    assert [os.path.basename(p) for p in expand_paths([str(tmp_path)])] == ["inner.txt"]
    with pytest.raises(InputError, match="is a directory"):
        read_bytes(str(tmp_path / "x.txt"))


def test_fifos_in_a_folder_are_skipped_not_read(tmp_path):
    (tmp_path / "a.txt").write_text("A.")
    os.mkfifo(tmp_path / "pipe.txt")
    assert [os.path.basename(p) for p in expand_paths([str(tmp_path)])] == ["a.txt"]


def _reference_walk(folder):
    """What a folder expanded to when it was written with os.walk, a stat and a realpath per file."""
    import stat

    from mtcheck.io.paths import EXTENSIONS

    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in EXTENSIONS:
                continue
            full = os.path.join(root, name)
            try:
                regular = stat.S_ISREG(os.stat(full).st_mode)
            except OSError:
                regular = True
            if regular:
                yield full, os.path.normcase(os.path.realpath(full)) if os.path.exists(full) else os.path.normpath(full)


def test_folder_walk_matches_os_walk_with_links_and_odd_entries(tmp_path):
    from mtcheck.io.paths import _walk

    root = tmp_path / "site"
    (root / "news" / "2026").mkdir(parents=True)
    (root / "news" / "2026" / "b.txt").write_text("B.")
    (root / "news" / "a.md").write_text("A.")
    (root / "Z.TXT").write_text("Upper.")
    (root / "_drafts").mkdir()
    (root / "_drafts" / "c.html").write_text("<p>C.</p>")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("hidden")
    (root / "skip.pdf").write_text("no")
    os.mkfifo(root / "pipe.txt")
    os.symlink(root / "news" / "a.md", root / "alias.md")  # a link to a file inside the tree
    os.symlink(root / "gone.txt", root / "broken.txt")  # a broken link
    os.symlink(root / "news", root / "linked")  # a link to a folder: not followed
    (tmp_path / "outside.txt").write_text("Out.")
    os.symlink(tmp_path / "outside.txt", root / "news" / "out.txt")
    got = list(_walk(str(root)))
    assert got == list(_reference_walk(str(root)))
    assert [os.path.relpath(p, root) for p, _ in got] == [
        "Z.TXT", "alias.md", "broken.txt", os.path.join("_drafts", "c.html"), os.path.join("news", "a.md"),
        os.path.join("news", "out.txt"), os.path.join("news", "2026", "b.txt"),
    ]
    # the link and its target are one document; a path through a linked folder is the same file
    files = [p for p in expand_paths([str(root), str(root / "linked" / "a.md")]) if isinstance(p, str)]
    assert [os.path.relpath(p, root) for p in files] == [
        "Z.TXT", "alias.md", "broken.txt", os.path.join("_drafts", "c.html"),
        os.path.join("news", "out.txt"), os.path.join("news", "2026", "b.txt"),
    ]
