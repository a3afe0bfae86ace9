"""The YAML loader: values, positions and the safety limits."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from yaml.constructor import SafeConstructor

from modelcards.source import (
    MAX_FILE_BYTES,
    FileRefused,
    parse_source,
    read_regular_file,
    read_source,
)

P = Path("card.yaml")


def load(text: str) -> object:
    document, found = parse_source(P, text)
    assert found is None, found
    assert document is not None
    return document.data


def refusal(text: str) -> tuple[str, int, int, str]:
    document, found = parse_source(P, text)
    assert document is None and found is not None
    return found.code, found.line, found.column, found.message


def test_plain_values() -> None:
    assert load("a: 1\nb: [x, {c: 2026-01-05}]\nd: 'quoted'\ne: null\nf: true\ng: 1.5\n") == {
        "a": 1,
        "b": ["x", {"c": dt.date(2026, 1, 5)}],
        "d": "quoted",
        "e": None,
        "f": True,
        "g": 1.5,
    }


def test_empty_document_is_none() -> None:
    assert load("# only a comment\n") is None


def test_merge_keys_splice_in_with_explicit_keys_winning() -> None:
    assert load("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n")["d"] == {"x": 1, "y": 3}  # type: ignore[index]


def test_merge_lists_give_the_earlier_mapping_precedence() -> None:
    """As PyYAML (and the YAML merge-key spec) have it, whatever PyYAML version is installed."""
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nd:\n  <<: [*a, *b]\n  z: 3\n"
    assert load(text)["d"] == {"x": 1, "y": 1, "z": 3}  # type: ignore[index]
    assert list(load(text)["d"]) == ["x", "y", "z"]  # type: ignore[index]
    assert load(text) == yaml.safe_load(text)


def test_merges_do_not_use_pyyaml_flatten_mapping(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's flatten_mapping before 6.0.4 is exponential; the loader does its own."""

    def refuse(*args: object) -> None:
        raise AssertionError("flatten_mapping called")

    monkeypatch.setattr(SafeConstructor, "flatten_mapping", refuse)
    assert load("base: &b {x: 1}\nd: {<<: *b, y: 2}\n")["d"] == {"x": 1, "y": 2}  # type: ignore[index]


def test_a_merge_of_a_scalar_is_a_located_problem() -> None:
    assert refusal("d:\n  <<: [1]\n") == (
        "MC004",
        2,
        8,
        "a merge key (<<) takes a mapping or a list of mappings",
    )


def test_a_merge_of_itself_is_refused() -> None:
    code, _, _, _ = refusal("d: &d {<<: *d}\n")
    assert code == "MC011"


def merge_key_bomb(levels: int, *, empty: bool = False) -> str:
    """Each level merges the one below it twice: 2**levels pairs (or, with empty mappings,
    2**levels merges) from a few hundred bytes. Written for this test after
    pyyaml/pyyaml#897 (the exponential merge) and nodeca/js-yaml#797 (empty merge sources)."""
    own = "" if empty else ", k{}: v"
    inner = "&L0 {}" if empty else "&L0 {k0: v}"
    for level in range(1, levels + 1):
        inner = f"&L{level} {{<<: [{inner}, *L{level - 1}]{own.format(level)}}}"
    return f"target: {{<<: [{inner}, *L{levels}]}}\n"


_BOMB_CHILD = """
import resource, sys
from pathlib import Path
limit = 1 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from modelcards.source import parse_source
document, found = parse_source(Path("bomb.yaml"), sys.stdin.read())
print(found.code if found else "loaded")
"""


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("levels", "empty"), [(31, False), (36, True)])
def test_a_merge_key_bomb_is_refused_quickly_and_in_little_memory(levels: int, empty: bool) -> None:
    """The real thing, in a child process held to 1 GiB of address space and a minute: before
    the loader flattened merges itself, these cards took hours and all the memory there was."""
    text = merge_key_bomb(levels, empty=empty)
    assert len(text.encode()) < 900
    child = subprocess.run(
        [sys.executable, "-c", _BOMB_CHILD],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (child.returncode, child.stdout.strip()) == (0, "MC012"), child.stderr[-2000:]


def test_positions_of_values_keys_and_missing_fields() -> None:
    document, _ = parse_source(P, "a: 1\nb:\n  - x\n  - {c: 2026-01-05}\n")
    assert document is not None
    assert document.position(["b", 1, "c"]) == (4, 9)
    assert document.position(["b", 1, "c"], key=True) == (4, 6)
    assert document.position(["b", 1, "missing"]) == (4, 5)  # the mapping to add it to
    assert document.position(["b", 7]) == (2, 1)  # the list's key
    assert document.position(["nowhere"]) == (1, 1)
    assert document.raw_text(["b", 0]) == "x"


def test_duplicate_key() -> None:
    assert refusal("a: 1\nb: 2\na: 3\n") == (
        "MC002",
        3,
        1,
        "duplicate key 'a' (first defined on line 1); keep one of them",
    )


def test_duplicate_key_in_nested_mapping() -> None:
    assert refusal("a:\n  x: 1\n  x: 2\n")[:3] == ("MC002", 3, 3)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:os.system [ls]\n",
        "a: !!python/object/apply:os.system [ls]\n",
        "a: !!binary aGVsbG8=\n",
        "a: !custom value\n",
        "a: !!set {x, y}\n",
    ],
)
def test_tags_that_construct_objects_are_refused(text: str) -> None:
    code, line, column, message = refusal(text)
    assert (code, line, column) == ("MC014", 1, 4)
    assert "not allowed in a card" in message


def test_billion_laughs_is_refused() -> None:
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, 9):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    code, *_ = refusal("\n".join(lines) + "\n")
    assert code == "MC012"


def test_modest_aliases_are_fine() -> None:
    assert load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("depth", [60, 5_000, 400_000])
def test_deep_flow_nesting_is_refused_without_crashing(depth: int) -> None:
    assert refusal("a: " + "[" * depth + "]" * depth + "\n")[0] == "MC011"


def test_deep_block_nesting_is_refused() -> None:
    text = "a:\n" + "".join(" " * i + "- \n" for i in range(1, 3000))
    assert refusal(text)[0] == "MC011"


def test_syntax_error_position() -> None:
    code, line, _, message = refusal("a: [1, 2\nb: 3\n")
    assert (code, line) == ("MC001", 2)
    assert message.startswith("YAML syntax error:")


def test_two_documents_are_refused() -> None:
    assert refusal("a: 1\n---\nb: 2\n")[:2] == ("MC001", 2)


def test_invalid_timestamp() -> None:
    assert refusal("a: 2026-13-45\n")[:3] == ("MC004", 1, 4)


def test_non_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_bytes(b"name: x\nsummary: caf\xe9 au lait\n")
    document, found = read_source(path)
    assert document is None and found is not None
    assert (found.code, found.line, found.column) == ("MC013", 2, 13)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_bytes("\ufeffname: café\n".encode())
    document, found = read_source(path)
    assert found is None and document is not None
    assert document.data == {"name": "café"}


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES)
    document, found = read_source(path)
    assert document is None and found is not None
    assert found.code == "MC010"


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("a: b: c\n", "text containing ': ' needs quotes"),
        ("a:\n\tb: 1\n", "indent with spaces"),
        ("a: [1, 2\n", "a [list] opened earlier is not closed"),
        ("a: *x\n", "define the anchor (&name) before using it (*name)"),
    ],
)
def test_syntax_errors_say_what_would_be_right(text: str, advice: str) -> None:
    code, _, _, message = refusal(text)
    assert code == "MC001"
    assert advice in message


def test_control_characters_are_a_located_syntax_error() -> None:
    assert refusal("a: 1\nb: \x08\n")[:3] == ("MC001", 2, 4)


# ---- bounded reads (issue 18, item 3): what is checked is what is read ---------------------------


def test_bounded_read_of_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * 10)
    assert read_regular_file(path, 10) == b"x" * 10
    with pytest.raises(FileRefused, match="is 10 bytes, over the 9-byte limit") as refused:
        read_regular_file(path, 9)
    assert refused.value.size == 10


@pytest.mark.timeout(10)
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(FileRefused, match=r"is not a regular file but a named pipe \(FIFO\)"):
        read_regular_file(tmp_path / "fifo", 100)


@pytest.mark.timeout(10)
@pytest.mark.usefixtures("memory_cap")
def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero")
    with pytest.raises(FileRefused, match="is not a regular file but a character device"):
        read_regular_file(tmp_path / "zero", 100)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="is not a regular file but a folder"):
        read_regular_file(tmp_path, 100)


def test_links_are_refused_when_they_must_not_be_followed(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("x")
    os.symlink("real", tmp_path / "link")
    assert read_regular_file(tmp_path / "link", 10) == b"x"
    with pytest.raises(FileRefused, match="is a symbolic link"):
        read_regular_file(tmp_path / "link", 10, follow_symlinks=False)


def test_a_file_whose_size_lies_is_read_no_further_than_the_limit() -> None:
    """/proc files say they are empty; the read stops one byte past the limit all the same."""
    with pytest.raises(FileRefused, match="is more than 8 bytes, over the 8-byte limit"):
        read_regular_file("/proc/self/status", 8)


@pytest.mark.timeout(10)
def test_a_card_that_is_a_fifo_is_a_located_problem(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "card.yaml")
    document, found = read_source(tmp_path / "card.yaml")
    assert document is None and found is not None
    assert (found.code, found.message) == (
        "MC017",
        "'card.yaml' is not a regular file but a named pipe (FIFO); a card is a YAML file",
    )
