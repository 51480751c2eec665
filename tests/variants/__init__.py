"""Function variants the tests grade: correct and wrong implementations of every notebook function.

``<assignment>/<function>.py`` holds ``correct_*`` and ``wrong_*`` definitions of one
function, ``EXPECTED_FAILURES`` (each wrong variant -> exactly the test cells, by
grade_id, it must fail) and ``EXPECTED_MESSAGES`` (the feedback each of those cells
must show). ``tests/support/variants.py`` turns them into notebook cells and
namespaces. They are test fixtures: nothing in ``autograder/`` imports them.
"""
