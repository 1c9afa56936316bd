"""Exercises of notebook 03: right answers pass, the usual slips get their own hint."""
import numpy as np
import pytest

from nbsupport.activations import prelu
from nbsupport.exercises import relu as ex
from nbsupport.gradcheck import numerical_grad

ALL = [ex.subgradients, ex.dead_share, ex.prelu_grad, ex.elu_slope, ex.rrelu_eval_slope,
       ex.leaky_he_std]


def test_subgradients_are_exactly_the_slopes_in_the_unit_interval():
    assert ex.subgradients.evaluate([False, True, True, True, False]).correct
    assert ex.subgradients.expected() == [0 <= g <= 1 for g in ex.SLOPES]


def test_dead_share_counts_the_two_columns_built_to_be_off():
    assert ex.dead_share.evaluate(2 / 6).correct
    assert np.all(ex.DEAD_Z[:, [1, 4]] <= 0)
    assert ex.DEAD_Z[0, 1] == 0.0


def test_prelu_alpha_gradient_matches_central_differences():
    def energy(alpha):
        return float(np.sum(ex.PRELU_UPSTREAM * prelu(ex.PRELU_P, alpha)))

    numeric = numerical_grad(energy, ex.PRELU_ALPHA)
    assert ex.prelu_grad.evaluate(numeric).correct


def test_elu_and_rrelu_answers_follow_from_the_formulas():
    assert ex.elu_slope.evaluate(ex.ELU_ALPHA * np.exp(ex.ELU_X)).correct
    assert ex.rrelu_eval_slope.evaluate((ex.RRELU_LOWER + ex.RRELU_UPPER) / 2).correct


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.prompt[:30])
def test_every_known_mistake_gets_its_own_hint_and_differs_from_the_solution(exercise):
    for wrong, message in exercise.mistakes:
        assert not exercise._close(wrong, exercise.expected())
        verdict = exercise.evaluate(wrong)
        assert not verdict.correct and verdict.message == message


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.prompt[:30])
def test_missing_and_unknown_answers_are_not_accepted(exercise):
    assert not exercise.evaluate(None).correct
    unknown = exercise.evaluate(np.asarray(exercise.expected(), dtype=float) + 7.5)
    assert not unknown.correct and unknown.message == exercise.hint


def test_leaky_he_std_keeps_the_second_moment_through_a_deep_leaky_stack():
    rng = np.random.default_rng(0)
    std = ex.leaky_he_std.expected()
    h = rng.normal(size=(2000, ex.FAN_IN))
    for _ in range(10):
        h = prelu(h @ rng.normal(0.0, std, size=(ex.FAN_IN, ex.FAN_IN)), ex.LEAKY_ALPHA)
    assert 0.8 < np.mean(h ** 2) < 1.25
    assert ex.leaky_he_std.evaluate(np.sqrt(2 / ((1 + ex.LEAKY_ALPHA ** 2) * ex.FAN_IN))).correct
    assert "He's std for ReLU" in ex.leaky_he_std.evaluate(np.sqrt(2 / ex.FAN_IN)).message
    assert "asks for 4" in ex.leaky_he_std.evaluate(round(std, 2)).message
