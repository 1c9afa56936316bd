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


def test_a_shortcut_passed_as_a_default_or_closed_over_is_caught_and_restored():
    import numpy as np

    from nbsupport.exercises import Exercise
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
