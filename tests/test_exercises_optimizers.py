"""Exercises of notebook 10: right answers pass (also rounded to 3 digits), known mistakes get their hint."""
import math

import pytest

from nbsupport.exercises import optimizers as ex

EXERCISES = [ex.learning_rate_threshold, ex.terminal_step, ex.adagrad_by_hand, ex.noise_at_larger_batch]


def test_learning_rate_threshold_is_two_over_the_largest_curvature():
    assert ex.learning_rate_threshold.evaluate(1 / 3).correct
    assert ex.learning_rate_threshold.evaluate(0.333).correct
    assert "FLAT" in ex.learning_rate_threshold.evaluate(2.0).message
    assert "one step" in ex.learning_rate_threshold.evaluate(1 / 6).message
    assert "second derivative" in ex.learning_rate_threshold.evaluate(2 / 3).message
    assert "asks for 3" in ex.learning_rate_threshold.evaluate(0.33).message
    assert not ex.learning_rate_threshold.evaluate(0.5).correct


def test_terminal_step_is_lr_g_over_one_minus_mu():
    assert ex.terminal_step.evaluate(0.1 * 0.37 / (1 - 0.93)).correct
    assert ex.terminal_step.evaluate(0.529).correct and ex.terminal_step.evaluate(0.528).correct
    assert "without momentum" in ex.terminal_step.evaluate(0.037).message
    assert "own g" in ex.terminal_step.evaluate(0.1 * 0.37 * 0.93 / 0.07).message


def test_adagrad_two_steps_by_hand():
    by_hand = 0.5 - 0.5 / math.sqrt(5.0)
    assert ex.adagrad_by_hand.evaluate(by_hand).correct
    assert ex.adagrad_by_hand.evaluate(0.276).correct
    assert "SUM" in ex.adagrad_by_hand.evaluate(0.0).message
    assert "not lr g" in ex.adagrad_by_hand.evaluate(1.0 - 0.5 * 3.0).message
    assert "sqrt(s), not by s" in ex.adagrad_by_hand.evaluate(1.0 - 0.5 * 2 / 4 - 0.5 * 1 / 5).message
    assert "asks for 3" in ex.adagrad_by_hand.evaluate(0.28).message


def test_noise_falls_as_one_over_the_batch_size():
    assert ex.noise_at_larger_batch.evaluate(1.08 * 6 / 16).correct
    assert ex.noise_at_larger_batch.evaluate(0.405).correct
    assert "standard deviation" in ex.noise_at_larger_batch.evaluate(1.08 * math.sqrt(6 / 16)).message
    assert "from scratch" in ex.noise_at_larger_batch.evaluate(1.08 / 16).message
    assert "asks for 3" in ex.noise_at_larger_batch.evaluate(0.41).message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.prompt[:30])
def test_every_exercise_asks_when_no_answer_is_given_and_rejects_a_far_answer(exercise):
    assert exercise.significant == 3 and "3 significant digits" in exercise.prompt
    feedback = exercise.evaluate(None)
    assert not feedback.correct and feedback.message.startswith("No answer yet.")
    assert not exercise.evaluate(10 * exercise.expected()).correct


def test_the_module_imports_numerics_only():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(ex))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert not any("matplotlib" in m or "views" in m or "widgets" in m for m in imported)
