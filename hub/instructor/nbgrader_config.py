# The instructor's nbgrader config on the hub: the course directory (made with
# `embedding-lab init --course-dir ... --exchange ...`) and the same exchange as the students'.
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
c.CourseDirectory.course_id = "embedding-lab"
c.CourseDirectory.root = os.path.expanduser(os.environ.get("EMBEDDING_LAB_COURSE", "~/course"))
c.Exchange.root = os.environ.get("EMBEDDING_LAB_EXCHANGE", "/srv/nbgrader/exchange")
# Validate (and autograde) kernels: encrypted, as the servers' (see ../jupyterhub_config.py).
c.KernelManager.transport_encryption = "auto"
