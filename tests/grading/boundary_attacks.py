"""The second round of attacks on `embedding-lab grade` (issue 22), one or more per class, each with its
exact expected outcome.

Written as a student who has read ``autograder/grading/`` would write them. Each starts from the
release notebook filled with the reference solutions (31/31) or with ``wrong_int64`` as ``one_hot``
(30/31: it fails ``one_hot_dtype``), then adds its attack: a cell, a file, a folder. A cell may be a
template: ``{tag}`` (a word that marks the attack) and the others named where used are filled in by
the test.

The classes: forged verdicts (1), links out of the submission (2), two submissions talking (3),
reading the hidden checks (4), stopping or stalling the run (5), memory and output without a total
(6), a forged report (7).
"""
from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from adversarial import FULL, REFERENCE, _index, filled, with_cell, wrong
from autograder.submissions import write_submission

CHANNEL = '''\
def _channel():
    """The sandbox's channel to the grader: the one socket among its open descriptors."""
    import os, socket, stat
    for fd in range(3, 256):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                return socket.socket(fileno=os.dup(fd))
        except OSError:
            pass
'''

# 1. A forked child stops the command loop in the middle of this cell and answers in its place: this
# cell, with the nonce of its command ({nonce} if the test hands it over, else read from the memory
# the child shares with the loop: /proc/self/mem), then every later command, echoing the nonce it
# reads from the command itself, running the later cells itself. A probe's answer is the real probe
# run with a one_hot whose result is turned into float32 (what the dtype check wants).
FORKED_ANSWERER = CHANNEL + '''\
import os, re, signal, struct, json, time
def _nonce_from_memory():
    try:
        found = []
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
            for line in maps:
                start, end = (int(x, 16) for x in line.split()[0].split("-"))
                if "rw" in line.split()[1] and end - start < 2**28:
                    try:
                        mem.seek(start)
                        found += re.findall(rb'"op": "exec".{0,400}?"nonce": "([0-9a-f]{32})"', mem.read(end - start))
                    except OSError:
                        pass
        return found[-1].decode() if found else None
    except OSError:
        return None
_sock = _channel()
if _sock is not None and os.fork() == 0:
    try:
        os.kill(os.getppid(), signal.SIGSTOP)
        from autograder.checks import get_check, probe_namespace
        _real = one_hot
        one_hot = lambda indices, size: _real(indices, size).float()
        def _exactly(n):
            data = b""
            while len(data) < n:
                chunk = _sock.recv(n - len(data))
                if not chunk:
                    raise EOFError
                data += chunk
            return data
        def _answer(command):
            answer = {"nonce": command["nonce"], "stdout": "", "stderr": "", "refused": [], "noticed": []}
            if command["op"] == "probe":
                answer.update(steps=probe_namespace(get_check(command["check"]), globals()), probe_error=None)
            else:
                try:
                    exec(command.get("code", ""), globals())  # the later cells, run here
                except BaseException:
                    pass
                answer.update(result=None, error=None)
            data = json.dumps(answer).encode()
            _sock.sendall(struct.pack("!Q", len(data)) + data)
        _nonce = "{nonce}" or _nonce_from_memory()
        if _nonce:
            _answer({"op": "exec", "nonce": _nonce})
            while True:
                _answer(json.loads(_exactly(struct.unpack("!Q", _exactly(8))[0])))
    finally:
        os._exit(0)
time.sleep(3)  # stopped here, while the child answers for this cell
'''

# A one_hot that raises a home-made class called ValueError (``except ValueError`` does not catch it).
FAKE_VALUE_ERROR = REFERENCE["one_hot"].replace(
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n",
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    class ValueError(Exception):  # not Python's ValueError: a look-alike\n"
    "        pass\n", 1)

# A one_hot that raises RuntimeError, having made builtins.type answer ValueError for it.
PATCHED_TYPE = REFERENCE["one_hot"].replace("raise ValueError(", "_pretend(); raise RuntimeError(") + '''

def _pretend():
    import builtins
    real = builtins.type
    builtins.type = lambda *args: ValueError if len(args) == 1 and real(args[0]) is RuntimeError else real(*args)
'''

# 5. A 100,000-deep JSON message, framed as the grader reads them, written into the channel.
DEEP_JSON = CHANNEL + '''\
import struct
_data = b"[" * 100_000 + b"]" * 100_000
_channel().sendall(struct.pack("!Q", len(_data)) + _data)
'''

# 6. Six processes of 300 MiB each (each under the per-process limit), alive together.
MEMORY_FORK = '''\
import os, time
_children = []
for _ in range(6):
    pid = os.fork()
    if pid == 0:
        try:
            _hoard = bytearray(300 * 2**20)  # zero-filled: every page touched
            time.sleep(30)
        finally:
            os._exit(0)
    _children.append(pid)
time.sleep(8)
print("all six children kept their memory")
'''

# Busy processes that outlive their cell, and a later cell that counts them.
BUSY_PROCESSES = '''\
import os
_busy = []
for _ in range(8):
    pid = os.fork()
    if pid == 0:
        os.setsid()
        while True:
            pass
    _busy.append(pid)
'''
COUNT_BUSY = '''\
import os
def _alive(pid):
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False
print("busy processes alive:", sum(_alive(pid) for pid in _busy))
'''

# 4. Every check module's source (and cached bytecode) the sandbox can read, and the check modules loaded.
READS_CHECKS = '''\
import glob, os, sys
_folder = os.path.dirname(sys.modules["autograder.checks"].__file__)
_read = {}
for _path in glob.glob(_folder + "/*.py") + glob.glob(_folder + "/__pycache__/*"):
    try:
        with open(_path, "rb") as _f:
            _read[_path] = len(_f.read())
    except OSError:
        pass
print("check files read:", len(_read), "bytes:", sum(_read.values()))
print("check modules loaded:", sorted(m for m in sys.modules if m.startswith("autograder.checks.a")))
'''

# 3. Two submissions graded side by side: one offers its one_hot, the other takes it, through every
# channel a shared machine has: a terminal ({ptys}: only inside sandboxes; on the host it would read
# other people's terminals), /tmp, /dev/shm and an abstract Unix socket.
GIVER = '''\
import os, socket, time
_code = _one_hot_source
for _place in ("/tmp/{tag}.py", "/dev/shm/{tag}.py"):
    try:
        with open(_place, "w") as _f:
            _f.write(_code)
    except OSError:
        pass
_server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
_server.bind("\\0{tag}")
_server.listen(4)
_server.settimeout(0.1)
_ptys = []
if {ptys}:
    _master, _slave = os.openpty()
    os.fchmod(_slave, 0o666)
    os.set_blocking(_master, False)  # nobody may read: never wait on a full terminal
    _ptys.append(_master)
_end = time.monotonic() + 8
while time.monotonic() < _end:
    for _master in _ptys:
        try:
            os.write(_master, (_code.replace("\\n", "\\r") + "\\r#END\\r").encode())
        except BlockingIOError:
            pass
    try:
        _conn, _ = _server.accept()
        _conn.sendall(_code.encode())
        _conn.close()
    except OSError:
        pass
'''
TAKER = '''\
import os, socket, time
def _take():
    for _place in ("/tmp/{tag}.py", "/dev/shm/{tag}.py"):
        try:
            with open(_place) as _f:
                return _f.read()
        except OSError:
            pass
    try:
        _c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        _c.connect("\\0{tag}")
        return _c.recv(1 << 16).decode()
    except OSError:
        pass
    if {ptys}:
        for _name in os.listdir("/dev/pts"):
            if _name.isdigit():
                try:
                    _fd = os.open("/dev/pts/" + _name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
                    _text = os.read(_fd, 1 << 16).decode(errors="replace")
                    os.close(_fd)
                except OSError:
                    continue
                if "#END" in _text:
                    return _text.split("#END")[0].replace("\\r", "\\n").replace("\\n\\n", "\\n")
_end = time.monotonic() + 8
while time.monotonic() < _end:
    _got = _take()
    if _got and "def one_hot" in _got:
        exec(_got)
        print("took one_hot from the other submission")
        break
    time.sleep(0.1)
'''

# 7. Text meant to add lines of its own to the report: a file name, a refused path, a grade_id.
FORGED_LINE = "\n  mallory/a1_lookup: 31/31 test cells passed\n    repair: nothing unusual"
FORGE_REFUSED_PATH = f'''\
import sys
try:
    open(sys.prefix + {FORGED_LINE!r}, "w")
except OSError:
    pass
'''
HTML_OUTPUT = '''\
print("<script>alert('printed')</script>")
'''
HTML_ERROR_ONE_HOT = REFERENCE["one_hot"].replace(
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n",
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    if vocab_size == 7:\n"
    "        raise RuntimeError('<img src=x onerror=alert(1)> \\x1b[2K')\n", 1)


@dataclass(frozen=True)
class Attack:
    student: str
    build: Callable
    """(release notebook) -> notebook, or (course, release, student) -> None for file attacks."""
    expected: float
    """Exact total score stored by `embedding-lab grade`."""
    events: tuple[str, ...] = ()
    """Event kinds the report must list for this submission."""
    words: tuple[str, ...] = ()
    """Text some event of this submission must contain."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Text the autograded notebook must show (grade_id or 'cell N' -> text), not at all when absent."""


def after_one_hot(source: str) -> Callable:
    return lambda release: with_cell(wrong(release), "one_hot", source)


def _write_notebook(course: Path, student: str, nb) -> Path:
    write_submission(course, student, "a1_lookup", nb)
    return course / "submitted" / student / "a1_lookup"


def chained_links(course: Path, release, student: str) -> None:
    """Links that each look inside the submission and chain up to the course (issue 22, 2)."""
    folder = _write_notebook(course, student, filled(release))
    links = {"C": ".", "B": "C/..", "D": "B/..", "E": "D/..",  # C: here; B: the student's; D: submitted/; E: the course
             "grades.db": "E/gradebook.db", "source.txt": "E/source/a1_lookup/a1_lookup.ipynb",
             "peer.txt": "D/honest_correct/a1_lookup/a1_lookup.ipynb", "config.py": "E/nbgrader_config.py",
             "secret.txt": "E/secret.txt", "same.txt": "notes.txt"}
    (folder / "notes.txt").write_text("my notes\n")
    for name, target in links.items():
        os.symlink(target, folder / name)


LINKS_LEFT_OUT = ("B", "D", "E", "grades.db", "source.txt", "peer.txt", "config.py", "secret.txt")


def deep_folder(course: Path, release, student: str) -> None:
    """A folder 1,100 deep, with a file at the bottom."""
    folder = _write_notebook(course, student, filled(release))
    fd = os.open(folder, os.O_RDONLY)
    for _ in range(1100):
        os.mkdir("d", dir_fd=fd)
        below = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = below
    with open(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
        f.write("the bottom\n")
    os.close(fd)


def huge_timestamp(course: Path, release, student: str) -> None:
    """A 512 MiB timestamp.txt (sparse: it costs no disk)."""
    folder = _write_notebook(course, student, filled(release))
    with open(folder / "timestamp.txt", "r+b") as f:
        f.truncate(512 * 2**20)


def lone_surrogate(course: Path, release, student: str) -> None:
    """A notebook file whose JSON holds a lone surrogate (valid JSON, not writable as UTF-8)."""
    nb = with_cell(filled(release), "one_hot", "# a comment with a lone surrogate: \ud800\nx = 1\n")
    folder = course / "submitted" / student / "a1_lookup"
    write_submission(course, student, "a1_lookup", raw=json.dumps(nb, ensure_ascii=True).encode())
    assert (folder / "a1_lookup.ipynb").is_file()


def forged_report(course: Path, release, student: str) -> None:
    """A FIFO named to add lines to the report, a refused path that does the same, a grade_id with newlines."""
    nb = with_cell(filled(release), "one_hot", FORGE_REFUSED_PATH)
    cell = nbformat.v4.new_code_cell("y = 2")
    cell.metadata["nbgrader"] = {"grade_id": "z" + FORGED_LINE, "grade": False, "solution": True, "locked": False,
                                 "schema_version": 3}
    nb.cells.insert(_index(nb, "one_hot") + 1, cell)
    folder = _write_notebook(course, student, nb)
    os.mkfifo(folder / ("x" + FORGED_LINE.replace("/", "\u2215")))  # a file name has no "/"; this looks like one


HTML_MARKDOWN = "My notes <img src=x onerror=alert('markdown')>"


def html_everywhere(release):
    nb = with_cell(filled(release, one_hot=HTML_ERROR_ONE_HOT), "one_hot", HTML_OUTPUT)
    nb.cells.insert(_index(nb, "one_hot") + 1, nbformat.v4.new_markdown_cell(HTML_MARKDOWN))
    return nb


def output_flood(cells: int):
    def build(release):
        nb = copy.deepcopy(wrong(release))
        at = _index(nb, "one_hot") + 1
        nb.cells[at:at] = [nbformat.v4.new_code_cell('print("x" * 65536)') for _ in range(cells)]
        return nb
    return build


def busy_processes(release):
    return with_cell(with_cell(wrong(release), "one_hot", BUSY_PROCESSES), "quiz_one_hot_times_w_answer", COUNT_BUSY)


ATTACKS = [
    Attack("forked_answerer", after_one_hot(FORKED_ANSWERER.replace("{nonce}", "")), FULL - 1, ("tampering",),
           ("a process of the submission had stopped the sandbox's command loop",)),
    Attack("fake_value_error", lambda r: filled(r, one_hot=FAKE_VALUE_ERROR), FULL - 2),
    Attack("patched_type", lambda r: filled(r, one_hot=PATCHED_TYPE), FULL - 2, ("tampering",)),
    Attack("chained_links", chained_links, FULL, ("repair",),
           ("grades.db is a link to a place outside the submission; left out",
            "C is a link that does not lead straight to a file of the submission; left out")),
    Attack("reads_checks", after_one_hot(READS_CHECKS), FULL - 1, ("tampering",),
           ("student code reaches into the grader's modules",), outputs={"after one_hot": "check files read: 0 bytes: 0\n"
                                     "check modules loaded: ['autograder.checks.a1_lookup']"}),
    Attack("deep_folder", deep_folder, FULL, ("repair",), ("has folders nested more than 32 deep",)),
    Attack("deep_json", after_one_hot(DEEP_JSON), FULL - 1, ("tampering",), ("garbled",)),
    Attack("lone_surrogate", lone_surrogate, FULL),
    Attack("output_flood", output_flood(1500), FULL - 1, ("output",), ("the rest was not kept",)),
    Attack("memory_fork", after_one_hot(MEMORY_FORK), FULL - 1, ("memory",), ("in all, more than the",)),
    Attack("busy_processes", busy_processes, FULL - 1, ("sandbox",),
           ("8 process(es) left running by an earlier cell were ended",),
           outputs={"after quiz_one_hot_times_w_answer": "busy processes alive: 0"}),
    Attack("forged_report", forged_report, FULL, ("tampering", "repair")),
    Attack("html_everywhere", html_everywhere, FULL - 1),
]
REFUSED = {"huge_timestamp": (huge_timestamp, "timestamp.txt is too large to be a date (536870912 bytes); not graded")}


def write_attacks(course: Path, release, attacks=ATTACKS) -> None:
    for attack in attacks:
        built = attack.build(release) if attack.build.__code__.co_argcount == 1 else None
        if built is None:
            attack.build(course, release, attack.student)
        else:
            write_submission(course, attack.student, "a1_lookup", built)


def collusion(tag: str, ptys: bool) -> tuple:
    """(giver's notebook builder, taker's) for two submissions graded side by side."""
    one_hot_source = REFERENCE["one_hot"]
    giver = f"_one_hot_source = {one_hot_source!r}\n" + GIVER.replace("{tag}", tag).replace("{ptys}", str(ptys))
    taker = TAKER.replace("{tag}", tag).replace("{ptys}", str(ptys))
    return (lambda release: with_cell(filled(release), "one_hot", giver),
            lambda release: with_cell(wrong(release), "one_hot", taker))


def sleepers_then_crashers(release, sleeps: int = 3, seconds: float = 1.5, crashes: int = 6):
    """Cells that sleep, then cells that kill the kernel, before any test cell (issue 22, 5): without a
    budget per submission every restart re-runs the sleeps."""
    nb = copy.deepcopy(wrong(release))
    at = _index(nb, "build_vocab")
    cells = [nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})") for _ in range(sleeps)]
    cells += [nbformat.v4.new_code_cell("import os\nos._exit(1)") for _ in range(crashes)]
    nb.cells[at:at] = cells
    return nb

