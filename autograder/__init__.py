"""embedding-lab's instructor side: course set-up, hidden-test logic and grading.

Subpackages, one concern each:
- ``checks``: hidden-test logic (plain functions), one module per assignment;
- ``reference``: the reference solutions the checks compare against;
- ``course``: creating and updating an nbgrader course directory;
- ``pipeline``: the instructor pipeline on top of nbgrader's API;
- ``report``: score tables and exports; ``cli``: the ``embedding-lab`` command.
"""
__version__ = "0.1.0"
