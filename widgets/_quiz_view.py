"""Quiz: the thin view over :class:`QuizModel` (see the class docstring for grading)."""
from __future__ import annotations

import weakref
from typing import Mapping, Sequence

import ipywidgets as w

from ._html import BASE_STYLE, esc, inline_markdown
from ._plain import PlainTextRepr
from ._quiz_model import QuizModel

_GOOD, _BAD, _NOTE = "#15803d", "#b91c1c", "#374151"


def _shell():
    """The running IPython shell, or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is always there in a kernel; plain python has no notebook
        return None
    return get_ipython()


def _refresh_after_each_cell(shell, quiz: "Quiz") -> None:
    """Re-read the recorded answer after every cell the notebook runs.

    The quiz is displayed above its answer cell, so under *Run All* it is drawn before
    the answer exists. Holding the quiz weakly, so a quiz that is gone stops listening.
    """
    ref = weakref.ref(quiz)

    def refresh(_result=None) -> None:
        current = ref()
        if current is None or current.comm is None:  # collected, or closed
            shell.events.unregister("post_run_cell", refresh)
            return
        current.refresh_recorded()

    shell.events.register("post_run_cell", refresh)


class Quiz(PlainTextRepr, w.VBox):
    """A multiple-choice question: practice (immediate feedback) or graded (recorded answer).

    ``Quiz(question, options, *, name=None, practice_key=None)``; ``options`` is a list
    of texts (lettered a, b, c, ...) or a ``{letter: text}`` dict.

    **Practice** (``practice_key=widgets.hash_answer("b")``): choosing an option says at
    once whether it is right. The key is stored as a salted SHA-256 hash, never as
    plain text.

    **Graded** (``name="quiz_weight_shape"``): the widget never knows the answer. Widget
    state is not saved reliably and the autograder re-executes the notebook without
    anyone clicking, so *the answer is a line of code*: the assignment has an answer
    cell (an nbgrader solution cell whose grade_id is the name) where the student
    writes ``quiz_weight_shape = "b"``. Choosing an option shows exactly that line to
    write there; if the variable already exists in the notebook (the answer cell was
    run), the widget shows the recorded answer, preselects it and warns when the
    choice and the recorded line differ. Re-execution runs the answer cell, so the
    grade depends only on the notebook's text. The widget never sets the variable
    itself: an answer that exists only in the kernel would be lost on re-execution.
    After each cell the notebook runs, the widget reads the recorded answer again, so
    after *Run All* a quiz above its answer cell shows the answer recorded below it.

    Controls: ``choice_buttons`` (``value`` is the chosen letter or None). Shown parts:
    ``question_view``, ``feedback_view`` (``.el-quiz-feedback[data-correct]`` in practice,
    ``.el-quiz-answer-line[data-line]`` when graded) and ``recorded_view``
    (``.el-quiz-recorded[data-status]``, graded only). ``namespace`` replaces the
    notebook's variables (for tests).
    """

    def __init__(self, question: str, options: Sequence[str] | Mapping[str, str], *,
                 name: str | None = None, practice_key: str | None = None,
                 namespace: Mapping[str, object] | None = None):
        self.model = QuizModel(question, options, name=name, practice_key=practice_key)
        shell = _shell() if namespace is None else None
        self._namespace = namespace if namespace is not None else ({} if shell is None else shell.user_ns)
        labels = [(f"{letter}) {text}", letter) for letter, text in self.model.options.items()]
        self.question_view = w.HTML(f'<div class="el-quiz-question" style="{BASE_STYLE}">'
                                    f"{inline_markdown(question)}</div>")
        self.choice_buttons = w.RadioButtons(options=labels, value=None,
                                             layout=w.Layout(width="auto"))
        self.feedback_view, self.recorded_view = w.HTML(), w.HTML()
        super().__init__(children=[self.question_view, self.choice_buttons, self.feedback_view,
                                   self.recorded_view])
        status, recorded = self.model.recorded_status(self._namespace)
        if status == "valid":
            self.choice_buttons.value = recorded
        self.choice_buttons.observe(self._render, names="value")
        self._render()
        if shell is not None and self.model.graded:
            _refresh_after_each_cell(shell, self)

    def refresh_recorded(self) -> None:
        """Show what the notebook records now (run after each cell; see ``_refresh_after_each_cell``).

        An answer recorded since the quiz was drawn is preselected, as at creation, unless
        an option is chosen already (then the recorded view says whether they differ).
        """
        status, recorded = self.model.recorded_status(self._namespace)
        if status == "valid" and self.choice_buttons.value is None:
            self.choice_buttons.value = recorded  # fires _render
        else:
            self.recorded_view.value = self._recorded_html(self.choice_buttons.value)

    def plain_text(self) -> str:
        """The question, its options and how the answer is recorded (never the key)."""
        lines = [f"Quiz: {self.model.question}"]
        lines += [f"  {letter}) {text}" for letter, text in self.model.options.items()]
        if self.model.graded:
            lines.append(f'  Graded: the answer is the line {self.model.name} = "<letter>" in its answer cell.')
        else:
            lines.append("  Practice question: choose an option in the notebook to check it.")
        return "\n".join(lines)

    def _render(self, _change=None) -> None:
        choice = self.choice_buttons.value
        if self.model.graded:
            self.feedback_view.value = self._answer_line_html(choice)
            self.recorded_view.value = self._recorded_html(choice)
        else:
            self.feedback_view.value = self._practice_html(choice)

    def _practice_html(self, choice: str | None) -> str:
        if choice is None:
            return ""
        correct = self.model.is_correct(choice)
        text, colour = ("Correct.", _GOOD) if correct else ("Not quite: try another option.", _BAD)
        return (f'<div class="el-quiz-feedback" data-choice="{esc(choice)}" '
                f'data-correct="{str(correct).lower()}" style="{BASE_STYLE} color:{colour};">'
                f"{text}</div>")

    def _answer_line_html(self, choice: str | None) -> str:
        if choice is None:
            return (f'<div style="{BASE_STYLE} color:{_NOTE};">Choose an option to see the line '
                    f"that records it.</div>")
        line = self.model.answer_line(choice)
        return (f'<div class="el-quiz-answer-line" data-line="{esc(line)}" style="{BASE_STYLE}">'
                f"To record this answer, write this line in the answer cell "
                f"<code>{esc(self.model.name)}</code> (replacing "
                f"<code>raise NotImplementedError()</code>) and run it:"
                f'<pre style="margin:4px 0; padding:4px; background:#f3f4f6;">{esc(line)}</pre>'
                f"</div>")

    def _recorded_html(self, choice: str | None) -> str:
        status, value = self.model.recorded_status(self._namespace)
        name = esc(self.model.name)
        if status == "missing":
            text, colour = f"Not recorded yet: <code>{name}</code> is not defined.", _NOTE
        elif status == "invalid":
            text = (f"<code>{name} = {esc(value)}</code> is not one of "
                    f'{", ".join(self.model.options)}: write one of the letters in quotes.')
            colour = _BAD
        elif choice is not None and choice != value:
            text = (f'Recorded answer: "{esc(value)}", but you chose "{esc(choice)}": '
                    f"change the line and run the answer cell again.")
            colour = _BAD
        else:
            text, colour = f'Recorded answer: "{esc(value)}".', _GOOD
        return (f'<div class="el-quiz-recorded" data-status="{status}" '
                f'data-value="{esc(value if status == "valid" else "")}" '
                f'style="{BASE_STYLE} color:{colour};">{text}</div>')
