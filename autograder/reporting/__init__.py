"""Reading back what grading stored, and reporting it to the instructor.

One module per concern, from the gradebook to the page:

- ``gradebook_reader``: reads back what nbgrader stored (scores, failure messages), never writes;
- ``class_report``: the class report computed from that (pure functions; the dashboard
  ``dashboards/class_report_view.py`` draws it);
- ``score_table``: the instructor pipeline's score table and its JSON export of every test cell;
- ``run_report``: one ``embedding-lab grade`` run's progress bar, its report of anything unusual
  (printed and JSON) and the scores it stored.

The gradebook is written in one place only: ``grading/gradebook_writer.py`` (nbgrader's own converter).
"""
