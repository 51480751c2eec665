"""Copying and removing a submission's files: links, depth, width, and text a notebook file can hold."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat

from autograder.grading import files
from autograder.grading.files import copy_files, plain_text, remove_tree


def submission(tmp_path: Path) -> tuple[Path, Path]:
    course = tmp_path / "course"
    folder = course / "submitted" / "s" / "a1"
    (folder / "sub").mkdir(parents=True)
    (course / "gradebook.db").write_text("grades")
    (folder / "notes.txt").write_text("notes")
    (folder / "sub" / "data.txt").write_text("data")
    return course, folder


def test_only_links_straight_to_a_file_of_the_submission_are_kept(tmp_path):
    course, folder = submission(tmp_path)
    links = {"same.txt": "notes.txt", "deeper.txt": "sub/data.txt", "C": ".", "B": "C/..", "D": "B/..",
             "via.txt": "C/notes.txt", "up.txt": "../../../gradebook.db", "abs.txt": str(course / "gradebook.db"),
             "far.txt": "D/../gradebook.db", "dir": "sub", "gone.txt": "nothing.txt", "sub/back.txt": "../notes.txt"}
    for name, target in links.items():
        os.symlink(target, folder / name)
    dest = tmp_path / "copy"
    dest.mkdir()
    problems = copy_files(folder, dest)
    kept = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_symlink())
    assert kept == ["deeper.txt", "same.txt"]
    assert (dest / "deeper.txt").read_text() == "data"
    outside = {"B", "D", "up.txt", "abs.txt", "far.txt"}
    assert sorted(problems) == sorted(
        [f"{n} is a link to a place outside the submission; left out" for n in outside]
        + [f"{n} is a link that does not lead straight to a file of the submission; left out"
           for n in ("C", "via.txt", "dir", "gone.txt", "sub/back.txt")])


def test_a_deep_folder_is_cut_in_one_line(tmp_path):
    folder = tmp_path / "s"
    deep = folder.joinpath(*["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text("x")
    (folder / "top.txt").write_text("y")
    dest = tmp_path / "copy"
    dest.mkdir()
    problems = copy_files(folder, dest)
    assert problems == [f"the submission has folders nested more than {files.MAX_DEPTH} deep; what is below was left out"]
    assert (dest / "top.txt").read_text() == "y"
    assert max(len(p.relative_to(dest).parts) for p in dest.rglob("*")) == files.MAX_DEPTH


def test_a_crowded_submission_is_cut_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_ENTRIES", 50)
    folder = tmp_path / "s"
    folder.mkdir()
    for i in range(200):
        (folder / f"f{i:03d}.txt").write_text(str(i))
    dest = tmp_path / "copy"
    dest.mkdir()
    assert copy_files(folder, dest) == ["the submission holds more than 50 files and folders; the rest was left out"]
    assert len(list(dest.iterdir())) == 50


def test_left_out_files_are_counted_past_a_few_lines(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    for i in range(30):
        os.mkfifo(folder / f"pipe{i:02d}")
    dest = tmp_path / "copy"
    dest.mkdir()
    problems = copy_files(folder, dest)
    assert len(problems) == files.MAX_PROBLEMS + 1 and problems[-1] == "10 more file(s) left out"


def test_remove_tree_goes_deeper_than_a_path_and_never_follows_a_link(tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "precious.txt").write_text("keep me")
    top = tmp_path / "job"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    for _ in range(3000):  # 6,000 characters of path: past PATH_MAX
        os.mkdir("d", dir_fd=fd)
        below = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = below
    os.symlink(str(keep), "link", dir_fd=fd)
    os.close(fd)
    os.symlink(str(keep), top / "link")
    remove_tree(top)
    assert not top.exists() and (keep / "precious.txt").read_text() == "keep me"


def test_lone_surrogates_become_escapes(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = '\ud800'")])
    nb.metadata["tag\udc00"] = "\udfff"
    plain_text(nb)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    back = nbformat.read(path, as_version=4)
    assert back.cells[0].source == "x = '\\ud800'" and back.metadata["tag\\udc00"] == "\\udfff"
