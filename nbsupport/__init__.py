"""nbsupport: the numerics, figures, widgets and exercise checks behind the notebooks.

The numeric API is importable from the top level::

    import nbsupport as nbs
    nbs.sigmoid(0.0), nbs.softmax([1.0, 2.0]), nbs.he_normal(100, 100, rng=0)

Modules: ``activations``, ``normalizers`` (softmax, log-softmax, log-sum-exp),
``losses``, ``init`` and ``gradcheck``; no module shares its name with a function, so
``nbs.softmax`` is unambiguously the function.

Importing nbsupport limits BLAS to one thread: the matrices in these notebooks are
small, and for small matrices extra BLAS threads cost more in synchronisation than they
save, most of all on a shared machine.  Set ``NBSUPPORT_BLAS_THREADS`` to change that.
"""
import os as _os

from threadpoolctl import threadpool_limits as _threadpool_limits

from . import activations, gradcheck, init, losses, normalizers
from .activations import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .init import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .normalizers import *  # noqa: F401,F403

_threadpool_limits(int(_os.environ.get("NBSUPPORT_BLAS_THREADS", "1")), user_api="blas")

__version__ = "0.1.0"
