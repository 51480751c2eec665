"""JupyterHub for one embedding-lab class on one machine (tested: tests/test_jupyterhub.py).

Local accounts log in with their password (PAM); each gets a Jupyter server of its own
(LocalProcessSpawner), running as that account, so nbgrader's student id is the login
name. Everyone's server runs in one environment: the student install plus JupyterHub
(README, "JupyterHub"). Members of the group ``EMBEDDING_LAB_GROUP`` may log in; the
accounts in ``EMBEDDING_LAB_INSTRUCTORS`` are hub admins and get the instructor's
Jupyter config (formgrader, course directory); everyone else gets the students' (the
Assignments tab and Validate; the formgrader hidden). Both name the same exchange.

    sudo EMBEDDING_LAB_INSTRUCTORS=teacher jupyterhub -f hub/jupyterhub_config.py
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

HERE = Path(__file__).resolve().parent
ENV_BIN = Path(os.environ.get("EMBEDDING_LAB_ENV", sys.prefix)) / "bin"
INSTRUCTORS = {name for name in os.environ.get("EMBEDDING_LAB_INSTRUCTORS", "").split(",") if name}

# The hub keeps its state (jupyterhub.sqlite, the cookie secret) in the directory it is started in.
c.JupyterHub.bind_url = os.environ.get("EMBEDDING_LAB_HUB_URL", "http://:8000")
c.ConfigurableHTTPProxy.command = [os.environ.get("EMBEDDING_LAB_PROXY", "configurable-http-proxy")]

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_groups = {os.environ.get("EMBEDDING_LAB_GROUP", "embedding-lab")}
c.Authenticator.admin_users = INSTRUCTORS

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
# Kernels get CurveZMQ keys: their traffic is encrypted, and ipykernel does not warn about
# plain-text TCP for every kernel (a command-line option, so it holds whatever config files say).
c.Spawner.args = ["--KernelManager.transport_encryption=auto"]
c.Spawner.environment = {
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    # where the servers find the exchange (the students' and instructor's nbgrader_config.py read it)
    "EMBEDDING_LAB_EXCHANGE": os.environ.get("EMBEDDING_LAB_EXCHANGE", "/srv/nbgrader/exchange"),
    "EMBEDDING_LAB_COURSE": os.environ.get("EMBEDDING_LAB_COURSE", "~/course"),
}


def per_role_config(spawner):
    """Instructors' servers read hub/instructor/, students' hub/student/ (Jupyter config directories)."""
    role = "instructor" if spawner.user.name in INSTRUCTORS else "student"
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": str(HERE / role)}


c.Spawner.pre_spawn_hook = per_role_config
