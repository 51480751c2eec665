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
- ``reporting``: reading back what nbgrader stored, the class report computed from it, the score
  table and JSON export, and the report of one grading run;
- ``results``: the words for grading results, from the judge's verdict to the class report;
- ``nbgrader_preprocessors``: the nbgrader preprocessors the course's config names (hidden tests
  back into untouched test cells; feedback without them); ``feedback_html``: how feedback pages render;
- ``cli``: the ``embedding-lab`` command.
"""
__version__ = "0.1.0"
