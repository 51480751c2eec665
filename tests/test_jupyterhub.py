"""hub/jupyterhub_config.py on a real JupyterHub: PAM logins, a server per account, nbgrader's tabs, the exchange.

One machine: JupyterHub with its LocalProcessSpawner and configurable-http-proxy (from
npm, tools/install-hub-proxy.sh), an instructor and two student accounts (created here,
removed after), the users' environment of the README (student install + JupyterHub).
Checks what each kind of user gets: students the Assignments and Validate backends
and no formgrader; the instructor the formgrader on the course; a release reaches the
students through the exchange, their submissions reach the instructor.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from local_users import account_tool, home, local_users
from student_env import shared_student_env

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GROUP = "el-class"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def request(self, path: str, method: str = "GET", data: dict | None = None, token: str | None = None,
                expect: int | None = 200):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.url + path, data=body, method=method,
                                     headers={"Authorization": f"token {token or self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode(errors="replace")
        if expect is not None:
            assert status == expect, f"{method} {path}: {status} {text[:1000]}"
        return status, text

    def start_server(self, user: str, timeout: float = 120) -> str:
        """Start ``user``'s server through the hub's API; return a token of that user."""
        self.request(f"/hub/api/users/{user}", "POST", data={}, expect=None)  # 201, or 409: already known
        self.request(f"/hub/api/users/{user}/server", "POST", data={}, expect=None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, text = self.request(f"/hub/api/users/{user}")
            model = json.loads(text)
            if model["servers"].get("", {}).get("ready"):
                break
            time.sleep(0.5)
        else:
            raise TimeoutError(f"{user}'s server not ready after {timeout:.0f} s")
        return self.token_for(user)

    def token_for(self, user: str) -> str:
        req = urllib.request.Request(f"{self.url}/hub/api/users/{user}/tokens", method="POST",
                                     data=json.dumps({"note": "test"}).encode(),
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())["token"]


def login_with_password(url: str, user: str, password: str) -> int:
    """PAM login through the hub's form; the status of the redirect the hub answers with."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{url}/hub/login", timeout=60) as resp:
        resp.read()
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    body = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": xsrf}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    try:
        with opener.open(urllib.request.Request(f"{url}/hub/login", data=body), timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    env_dir = shared_student_env(tmp_path_factory.mktemp("student-env"))
    proxy = subprocess.run(["bash", str(REPO / "tools" / "install-hub-proxy.sh"), "/var/tmp/embedding-lab-chp"],
                           check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    top = Path(tempfile.mkdtemp(prefix="el-hub-test-"))
    top.chmod(0o755)
    exchange = top / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    state = top / "hub"
    state.mkdir()
    account_tool("groupadd", "--force", GROUP)
    process = None
    try:
        with local_users("teacher", "alice", "bob", tag="hub") as accounts:
            passwords = {}
            for account in accounts.values():
                passwords[account] = secrets.token_urlsafe(12)
                account_tool("chpasswd", input=f"{account}:{passwords[account]}")
                account_tool("usermod", "-aG", GROUP, account)
            teacher = accounts["teacher"]
            course = home(teacher) / "course"
            subprocess.run([str(BIN / "embedding-lab"), "init", "--course-dir", str(course), "--exchange",
                            str(exchange), "--assignment", "a1_lookup"], check=True, capture_output=True)
            shutil.chown(course, teacher, teacher)  # the formgrader (teacher's server) writes the gradebook here
            port, token = _free_port(), secrets.token_hex(16)
            (state / "test_token.py").write_text(
                "c = get_config()\n"
                "c.JupyterHub.services = [{'name': 'el-test', 'api_token': %r}]\n"
                "c.JupyterHub.load_roles = [{'name': 'el-test', 'services': ['el-test'],\n"
                "    'scopes': ['admin:users', 'admin:servers', 'tokens', 'access:servers']}]\n"
                "c.JupyterHub.hub_port = %d\n"
                "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:%d'\n"
                "load_subconfig(%r)\n" % (token, _free_port(), _free_port(), str(REPO / "hub" / "jupyterhub_config.py")))
            env = {**os.environ, "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}",
                   "EMBEDDING_LAB_ENV": str(env_dir), "EMBEDDING_LAB_INSTRUCTORS": teacher,
                   "EMBEDDING_LAB_GROUP": GROUP, "EMBEDDING_LAB_EXCHANGE": str(exchange),
                   "EMBEDDING_LAB_PROXY": proxy, "EMBEDDING_LAB_HUB_URL": f"http://127.0.0.1:{port}"}
            log = open(state / "hub.log", "wb")
            process = subprocess.Popen([str(env_dir / "bin" / "jupyterhub"), "-f", str(state / "test_token.py")],
                                       cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_for(url, process, state / "hub.log")
                yield {"hub": Hub(url, token), "url": url, "accounts": accounts, "passwords": passwords,
                       "course": course, "exchange": exchange, "log": state / "hub.log"}
            finally:
                _stop_servers(token, url, accounts)  # before the accounts go
    finally:
        if process is not None:
            process.terminate()  # the hub stops what is left of the users' servers, and its proxy
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
        account_tool("groupdel", GROUP, check=False)
        shutil.rmtree(top, ignore_errors=True)


def _stop_servers(token: str, url: str, accounts: dict) -> None:
    """Stop each user's server through the hub and wait until the hub says it is gone."""
    hub = Hub(url, token)
    for user in accounts.values():
        try:
            hub.request(f"/hub/api/users/{user}/server", "DELETE", expect=None)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                _, text = hub.request(f"/hub/api/users/{user}", expect=None)
                if not json.loads(text).get("servers"):
                    break
                time.sleep(0.5)
        except (OSError, ValueError):
            pass  # the hub is gone already: local_users stops what is left


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"jupyterhub did not answer:\n{log.read_text()[-4000:]}")


def test_accounts_log_in_with_their_password_and_strangers_do_not(hub):
    alice = hub["accounts"]["alice"]
    assert login_with_password(hub["url"], alice, hub["passwords"][alice]) == 302
    assert login_with_password(hub["url"], alice, "wrong") == 403


def test_the_class_cycle_through_the_hub(hub):
    h, accounts, course = hub["hub"], hub["accounts"], hub["course"]
    teacher, alice, bob = accounts["teacher"], accounts["alice"], accounts["bob"]
    tokens = {u: h.start_server(u) for u in (teacher, alice, bob)}

    # each server runs as its own account, in the users' environment, at /lab
    for user in (teacher, alice, bob):
        _, text = h.request(f"/user/{user}/api/status", token=tokens[user])
        assert "kernels" in text
        status, page = h.request(f"/user/{user}/lab", token=tokens[user])
        assert "@jupyter/nbgrader" in page and "@jupyter-widgets/jupyterlab-manager" in page
    # students: the formgrader and assignment-creation plugins are disabled, the Assignments tab is not
    _, page = h.request(f"/user/{alice}/lab", token=tokens[alice])
    config = json.loads(page.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert "@jupyter/nbgrader:formgrader" in config["disabledExtensions"]
    assert "@jupyter/nbgrader:assignment-list" not in config["disabledExtensions"]
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]  # no news prompt
    h.request(f"/user/{alice}/formgrader", token=tokens[alice], expect=404)
    # the instructor: the formgrader, on the course embedding-lab init made
    h.request(f"/user/{teacher}/formgrader", token=tokens[teacher])

    # release (the instructor's commands, in the course), then the students' Assignments tab lists and fetches it
    for args in (("generate_assignment", "a1_lookup"), ("release_assignment", "a1_lookup")):
        subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, check=True, capture_output=True,
                       env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    for user in (alice, bob):
        _, text = h.request(f"/user/{user}/assignments?course_id=embedding-lab", token=tokens[user])
        listed = json.loads(text)
        assert listed["success"] and [a["assignment_id"] for a in listed["value"]] == ["a1_lookup"], listed
        _, text = h.request(f"/user/{user}/assignments/fetch", "POST", token=tokens[user],
                            data={"course_id": "embedding-lab", "assignment_id": "a1_lookup"})
        assert json.loads(text)["success"], text
        fetched = home(user) / "a1_lookup" / "a1_lookup.ipynb"
        assert fetched.is_file() and fetched.owner() == user
    # Validate, from alice's server (her kernel, her environment): the untouched stubs fail
    _, text = h.request(f"/user/{alice}/assignments/validate", "POST", token=tokens[alice],
                        data={"path": "a1_lookup/a1_lookup.ipynb"})
    result = json.loads(text)
    assert result["success"] and "NotImplementedError" in json.dumps(result["value"]), text[:2000]
    # submit from both; the instructor collects them under the login names
    for user in (alice, bob):
        _, text = h.request(f"/user/{user}/assignments/submit", "POST", token=tokens[user],
                            data={"course_id": "embedding-lab", "assignment_id": "a1_lookup"})
        assert json.loads(text)["success"], text
    subprocess.run([str(BIN / "nbgrader"), "collect", "a1_lookup"], cwd=course, check=True, capture_output=True,
                   env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted([alice, bob])
    # a kernel in a student's server: encrypted (hub/student/ sets KernelManager.transport_encryption),
    # so the server's log, which the hub's collects, has no plain-text-TCP warning
    _, text = h.request(f"/user/{alice}/api/kernels", "POST", token=tokens[alice], data=None, expect=201)
    kernel = json.loads(text)["id"]
    deadline = time.monotonic() + 60
    while "Kernel started" not in hub["log"].read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    h.request(f"/user/{alice}/api/kernels/{kernel}", "DELETE", token=tokens[alice], expect=204)
    log = hub["log"].read_text()
    assert "Kernel started" in log and "without encryption" not in log, log[-3000:]
