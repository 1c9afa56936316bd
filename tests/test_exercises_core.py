import numpy as np

from nbsupport.exercises import Exercise, Feedback


def make_peak_exercise():
    return Exercise(prompt="What is the largest value of s'(x)?", solution=lambda: 0.25,
                    explanation="s'(0) = s(0)(1 - s(0)) = 1/4.", hint="Evaluate s(0)(1 - s(0)).",
                    mistakes=[(0.3, "0.3 is a misquoted value: compute s(0)(1 - s(0)).")])


def test_right_wrong_known_mistake_and_missing_answers():
    ex = make_peak_exercise()
    assert ex.evaluate(0.25) == Feedback(True, "s'(0) = s(0)(1 - s(0)) = 1/4.")
    assert ex.evaluate(0.3).message.startswith("0.3 is a misquoted")
    assert ex.evaluate(0.5) == Feedback(False, "Evaluate s(0)(1 - s(0)).")
    assert not ex.evaluate(None).correct and "largest value" in ex.evaluate(None).message
    assert not ex.evaluate("a quarter").correct
    assert not ex.evaluate([0.25, 0.25]).correct  # wrong shape


def test_function_answers_are_compared_on_inputs_and_errors_are_reported():
    ex = Exercise(prompt="Write s'(x).", solution=lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
                  explanation="Right.", hint="Use s(1 - s).", inputs=np.linspace(-3, 3, 7))
    s = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    assert ex.evaluate(lambda x: s(x) * (1 - s(x))).correct
    wrong = ex.evaluate(lambda x: s(x) * (1 + s(x)))
    assert not wrong.correct and "expected" in wrong.message
    assert "raised ZeroDivisionError" in ex.evaluate(lambda x: 1 / 0).message
    assert "Give a function" in ex.evaluate(0.25).message


def test_check_prints_one_line(capsys):
    make_peak_exercise().check(0.25)
    out = capsys.readouterr().out
    assert out.startswith("✅ Correct.") and out.count("\n") == 1


def test_digits_asked_set_the_tolerance_and_too_few_digits_get_a_hint():
    ex = Exercise(prompt="?", solution=lambda: 4.5849, explanation="Right.", hint="Solve it.", decimals=2)
    assert ex.evaluate(4.58).correct and ex.evaluate(4.59).correct and ex.evaluate(4.5849).correct
    assert not ex.evaluate(4.5).correct and not ex.evaluate(4.6).correct
    assert "has 1 decimal and the question asks for 2" in ex.evaluate(4.6).message
    assert ex.evaluate(4.7).message == "Solve it."
    sig = Exercise(prompt="?", solution=lambda: 9.5367e-7, explanation="", hint="", significant=2)
    assert sig.evaluate(9.5e-7).correct and not sig.evaluate(9.3e-7).correct
    assert "significant digit" in sig.evaluate(1e-6).message


def test_metadata_is_validated():
    import pytest
    with pytest.raises(ValueError, match="kind"):
        Exercise(prompt="?", solution=1.0, explanation="", hint="", kind="guess")
    with pytest.raises(ValueError, match="not both"):
        Exercise(prompt="?", solution=1.0, explanation="", hint="", decimals=2, significant=3)
    with pytest.raises(ValueError, match="function answers"):
        Exercise(prompt="?", solution=1.0, explanation="", hint="", forbidden=("numpy.abs",))
    with pytest.raises(AttributeError):
        Exercise(prompt="?", solution=np.abs, explanation="", hint="", inputs=[1.0],
                 forbidden=("numpy.no_such_function",))


def test_a_forbidden_function_is_rejected_by_identity_and_when_called_and_then_restored():
    ex = Exercise(prompt="?", solution=np.abs, explanation="", hint="",
                  inputs=np.linspace(-2, 2, 5), forbidden=("numpy.abs",))
    assert "itself" in ex.evaluate(np.abs).message
    assert "calls numpy.abs" in ex.evaluate(lambda x: np.abs(x) * 1.0).message
    assert np.abs(-1.0) == 1.0  # restored after the check
    assert ex.evaluate(lambda x: np.maximum(x, -x)).correct


def test_a_correct_answer_wins_over_a_mistake_that_lies_within_the_tolerance():
    ex = Exercise(prompt="?", solution=lambda: 2.0634, explanation="Right.", hint="",
                  mistakes=[(2.07, "close slip")], decimals=2)
    assert ex.evaluate(2.06).correct


def test_a_shortcut_passed_as_a_default_or_closed_over_is_caught_and_restored():
    write_abs = Exercise(prompt="?", solution=np.abs, explanation="", hint="",
                         inputs=np.linspace(-2, 2, 5), forbidden=("numpy.abs",))
    by_default = lambda x, f=np.abs: f(x) + 0.0  # noqa: E731
    assert not write_abs.evaluate(by_default).correct
    assert by_default.__defaults__[0] is np.abs

    def closing(f):
        return lambda x: f(x) + 0.0
    closed = closing(np.abs)
    assert not write_abs.evaluate(closed).correct
    assert closed.__closure__[0].cell_contents is np.abs
