# Students' nbgrader config on the hub: the course and its exchange (see README, "The exchange").
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
c.CourseDirectory.course_id = "embedding-lab"
c.Exchange.root = os.environ.get("EMBEDDING_LAB_EXCHANGE", "/srv/nbgrader/exchange")
# Validate (and autograde) kernels: encrypted, as the servers' (see ../jupyterhub_config.py).
c.KernelManager.transport_encryption = "auto"
