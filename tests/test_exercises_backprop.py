import numpy as np
import pytest

from nbsupport.activations import sigmoid
from nbsupport.exercises import backprop as ex


def by_hand():
    """The forward and backward pass of the new sample, written out as a student would."""
    z = ex.NEW_X @ ex.W1 + ex.B1
    h = sigmoid(z)
    p = sigmoid(h @ ex.W2[:, 0] + ex.B2[0])
    delta_out = p - ex.NEW_Y
    delta_hidden = delta_out * ex.W2[:, 0] * h * (1 - h)
    return delta_hidden, float(delta_hidden[0] * ex.NEW_X[1]), float(ex.W1[0] @ delta_hidden)


def test_hidden_weight_gradient_accepts_four_digits_and_hints_at_too_few():
    _, dw21, _ = by_hand()
    assert ex.hidden_weight_grad.evaluate(float(f"{dw21:.4g}")).correct
    assert not ex.hidden_weight_grad.evaluate(float(f"{dw21:.2g}")).correct
    assert "4 significant digits" in ex.hidden_weight_grad.evaluate(float(f"{dw21:.2g}")).message
    assert "s'(z1)" in ex.hidden_weight_grad.evaluate(ex._without_hidden_slope()).message
    assert "sign" in ex.hidden_weight_grad.evaluate(-dw21).message
    assert not ex.hidden_weight_grad.evaluate(2 * dw21).correct


def test_input_gradient_needs_both_paths():
    delta_hidden, _, dx1 = by_hand()
    assert ex.input_grad.evaluate(round(dx1, 4)).correct
    one_path = delta_hidden[0] * ex.W1[0, 0]
    feedback = ex.input_grad.evaluate(one_path)
    assert not feedback.correct and "z1 only" in feedback.message


def test_backward_cost_is_exact():
    layers = list(zip(ex.SIZES[:-1], ex.SIZES[1:]))
    right = sum(2 * ex.BATCH * a * b for a, b in layers) - ex.BATCH * ex.SIZES[0] * ex.SIZES[1]
    assert ex.backward_cost.evaluate(right).correct
    assert not ex.backward_cost.evaluate(right + 1).correct
    assert "first layer" in ex.backward_cost.evaluate(right + ex.BATCH * ex.SIZES[0] * ex.SIZES[1]).message


def test_chain_bound():
    right = (ex.WEIGHT / 4) ** (ex.DEPTH - 1)
    assert ex.chain_bound.evaluate(round(right, 4)).correct
    assert "steps" in ex.chain_bound.evaluate((ex.WEIGHT / 4) ** ex.DEPTH).message
    assert not ex.chain_bound.evaluate(0.25 ** (ex.DEPTH - 1)).correct
    assert not ex.chain_bound.evaluate(None).correct


@pytest.mark.parametrize("exercise", [ex.hidden_weight_grad, ex.input_grad, ex.backward_cost, ex.chain_bound])
def test_no_answer_prints_the_prompt(exercise, capsys):
    exercise.check(None)
    assert exercise.prompt in capsys.readouterr().out
    assert np.isfinite(float(exercise.expected()))
