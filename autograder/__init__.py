"""embedding-lab's instructor side: course set-up, hidden-test logic and grading.

Subpackages and modules, one concern each:
- ``checks``: hidden-test logic (plain functions), one module or package per assignment;
  ``checks.toolbox`` is what check authors use;
- ``reference``: the reference solutions the checks compare against;
- ``demo_submissions``: the demo course's students and what they hand in (``make demo``);
- ``grading``: ``embedding-lab grade``, each submission in its own sandbox;
- ``dashboards``: the Voila dashboards and the server that shows them;
- ``course``: creating and updating an nbgrader course directory, and its config;
- ``pipeline``: the instructor pipeline on top of nbgrader's API (the demo);
- ``results``: the words for grading results, from the judge's verdict to the class report;
- ``gradebook_reader``: reading back what nbgrader stored (scores, failure messages);
- ``class_report``: the class report computed from that; ``report``: score table and JSON export;
- ``cli``: the ``embedding-lab`` command.
"""
__version__ = "0.1.0"
