"""The vocabulary of matrix expressions: shapes, symbols, elementwise functions and scalar-valued reductions.

Matrices are SymPy ``MatrixSymbol`` expressions of symbolic shape; ``@``, ``+``, ``-``, scalar ``*`` and
``.T`` work as in SymPy. The constructors here add what SymPy lacks, as small expression nodes:

- elementwise functions (:func:`exp`, :func:`log`, :func:`sigmoid`, :func:`softplus`, :func:`tanh`,
  :func:`sqrt`, :func:`abs`, :func:`relu`, :func:`power`): applied to a matrix they keep its shape, applied
  to a scalar expression they act as scalar functions;
- scalar-valued reductions (:func:`sum`, :func:`mean`, :func:`trace`, :func:`det`, :func:`logdet`,
  :func:`logsumexp`, :func:`norm`, :func:`sq_norm`): they are 1 x 1 matrix expressions, so that they add
  to products such as ``y.T @ X @ w``, which SymPy also makes 1 x 1;
- :func:`softmax`, :func:`diag`, :func:`inv`, :func:`hadamard`, :func:`kron`, with shapes checked.

Every node evaluates on explicit matrices (``.doit()``, ``.as_explicit()``), so claims can be checked at
small random sizes.

>>> n, d = dims("n d")
>>> X = matrix("X", n, d); w = vector("w", d); y = vector("y", n)
>>> loss = sum(softplus(X @ w)) - y.T @ X @ w
>>> loss.shape
(1, 1)
>>> sigmoid(X @ w).shape
(n, 1)
"""
from __future__ import annotations

import builtins
from typing import Any, Union

import sympy as sp
from sympy.matrices.expressions import DiagMatrix, DiagonalOf, HadamardPower, HadamardProduct, KroneckerProduct
from sympy.core.symbol import Str
from sympy.matrices.expressions.matexpr import MatrixExpr

from symml.errors import ShapeError, UnsupportedOperationError

__all__ = [
    "dims", "matrix", "vector", "SymmetricMatrixSymbol",
    "Sigmoid", "Softplus", "ReLU", "Elementwise", "EntrySum", "Tr", "Det", "LogDet", "Softmax", "LogSumExp",
    "LogSumExpAlong",
    "exp", "log", "sigmoid", "softplus", "tanh", "sqrt", "abs", "relu", "maximum", "power",
    "sum", "mean", "trace", "det", "logdet", "inv", "diag", "hadamard", "kron", "norm", "sq_norm",
    "softmax", "logsumexp", "is_matrix", "is_scalar_valued", "elementwise_name",
]

Dim = Union[int, sp.Expr]


# --- shapes and symbols -------------------------------------------------------------------------------
def dims(names: str) -> Any:
    """Positive integer symbols for dimensions: ``n, d = dims("n d")``.

    >>> n, d = dims("n d")
    >>> n.is_integer and n.is_positive
    True
    """
    return sp.symbols(names, integer=True, positive=True)


def _check_dim(value: Any, what: str) -> sp.Expr:
    if isinstance(value, str):
        # a name is read as dims(name) would make it; anything else is refused rather than sympified (which
        # would evaluate it as code)
        if value.isidentifier() and value.isascii():
            return dims(value)
        if value.isdecimal():
            value = int(value)
        else:
            raise ShapeError(f"{what} must be a positive integer or a dimension name such as 'n' "
                             f"(symml.dims), not the string {value!r}")
    dim = sp.sympify(value)
    if not isinstance(dim, sp.Expr) or dim.is_integer is False or dim.is_positive is False or not (dim.is_Integer or dim.free_symbols):
        raise ShapeError(f"{what} must be a positive integer or a dimension name such as 'n' (symml.dims), not {value!r}")
    return dim


class SymmetricMatrixSymbol(sp.MatrixSymbol):
    """A square matrix symbol known to be symmetric: its transpose is itself (``Sigma.T == Sigma``)."""

    def _eval_transpose(self) -> "SymmetricMatrixSymbol":
        return self


def matrix(name: str, rows: Dim, cols: Dim, *, symmetric: bool = False) -> sp.MatrixSymbol:
    """A matrix symbol of shape (rows, cols); ``symmetric=True`` for a symmetric square matrix such as Sigma.

    >>> n, d = dims("n d")
    >>> matrix("X", n, d).shape
    (n, d)
    >>> matrix("X", "n", 3).shape == (n, 3)  # a size named in a string is the dimension of that name
    True
    >>> S = matrix("Sigma", d, d, symmetric=True); S.T == S
    True
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ShapeError(f"a matrix name must be an identifier such as 'X' or 'Sigma', not {name!r}")
    shape = _check_dim(rows, f"the number of rows of {name}"), _check_dim(cols, f"the number of columns of {name}")
    if symmetric:
        if shape[0] != shape[1]:
            raise ShapeError(f"a symmetric matrix must be square; {name} was given shape {shape}")
        return SymmetricMatrixSymbol(name, *shape)
    return sp.MatrixSymbol(name, *shape)


def vector(name: str, n: Dim) -> sp.MatrixSymbol:
    """A column vector symbol of shape (n, 1).

    >>> vector("w", dims("d")).shape
    (d, 1)
    """
    return matrix(name, n, 1)


def is_matrix(expr: Any) -> bool:
    """Whether ``expr`` is a matrix expression (of any shape, 1 x 1 included)."""
    return isinstance(expr, (MatrixExpr, sp.MatrixBase))


def is_scalar_valued(expr: Any) -> bool:
    """Whether ``expr`` is a scalar: a scalar SymPy expression or a 1 x 1 matrix expression."""
    return not is_matrix(expr) or tuple(expr.shape) == (1, 1)


def _matrix_arg(A: Any, what: str) -> MatrixExpr:
    if not is_matrix(A):
        raise ShapeError(f"{what} needs a matrix or vector, not the scalar {A}")
    return A


def _square(A: Any, what: str) -> MatrixExpr:
    A = _matrix_arg(A, what)
    if A.shape[0] != A.shape[1]:
        raise ShapeError(f"{what} needs a square matrix; {A} has shape {A.shape}")
    return A


# --- scalar functions that SymPy lacks ------------------------------------------------------------------
class Sigmoid(sp.Function):
    """The logistic function sigma(t) = 1 / (1 + exp(-t)); sigma' = sigma (1 - sigma)."""

    @classmethod
    def eval(cls, t: sp.Expr) -> sp.Expr | None:
        return sp.S.Half if t.is_zero else None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, t: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-t))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real


class Softplus(sp.Function):
    """softplus(t) = log(1 + exp(t)), the smooth ReLU; softplus' = sigma."""

    @classmethod
    def eval(cls, t: sp.Expr) -> sp.Expr | None:
        return sp.log(2) if t.is_zero else None  # the constant term of a Taylor polynomial at 0

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, t: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.log(1 + sp.exp(t))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real


class ReLU(sp.Function):
    """relu(t) = max(t, 0); its derivative is taken as the step H(t) with H(0) = 0 (a subgradient at 0)."""

    @classmethod
    def eval(cls, t: sp.Expr) -> sp.Expr | None:
        if t.is_number and t.is_real:
            return sp.Max(t, 0)
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, t: sp.Expr, **kwargs: Any) -> sp.Expr:
        return sp.Max(t, 0)

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return sp.Max(self.args[0], 0)._eval_evalf(prec)


# The scalar function behind each elementwise name; each takes one argument.
_SCALAR_FUNCTIONS = {
    "exp": sp.exp,
    "log": sp.log,
    "sigmoid": Sigmoid,
    "softplus": Softplus,
    "tanh": sp.tanh,
    "abs": sp.Abs,
    "relu": ReLU,
    "sign": sp.sign,
    "step": lambda t: sp.Heaviside(t, 0),
}


def elementwise_name(scalar_function: sp.Expr) -> str | None:
    """The elementwise name of a one-argument scalar function application (``Sigmoid(t)`` -> "sigmoid")."""
    if isinstance(scalar_function, sp.Heaviside):
        return "step"
    for name, function in _SCALAR_FUNCTIONS.items():
        if isinstance(function, type) and isinstance(scalar_function, function):
            return name
    return None


class _Named:
    """Text printing as ``name(argument)``: ``sigmoid(X*w)``, ``logdet(Sigma)``, in str() and in 2-D pretty text."""

    arg: MatrixExpr  # declared only: every subclass defines it (a property over its SymPy args)

    def _text_name(self) -> str:
        return type(self).__name__.lower()

    def _sympystr(self, printer: Any) -> str:
        return f"{self._text_name()}({printer._print(self.arg)})"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        inner = prettyForm(*printer._print(self.arg).parens())
        return prettyForm(*inner.left(self._text_name()))


class Elementwise(_Named, MatrixExpr):
    """A scalar function applied to every entry of a matrix: ``Elementwise("sigmoid", X*w)``, shape kept."""

    def __new__(cls, name: str | Str, arg: MatrixExpr) -> "Elementwise":
        name = Str(str(name))
        if name.name not in _SCALAR_FUNCTIONS:
            raise UnsupportedOperationError(f"no elementwise function named {name.name!r}")
        arg = sp.sympify(arg)
        if isinstance(arg, sp.Mul) and any(isinstance(factor, MatrixExpr) for factor in arg.args):
            # rebuilt by SymPy's scalar algebra (factor_terms on (1/2)s gives Mul(1/2, s)): still a matrix product
            arg = sp.MatMul(*arg.args)
        if not isinstance(arg, MatrixExpr):
            raise TypeError(f"Elementwise({name.name!r}, ...) takes a matrix expression, not {arg!r}")
        return super().__new__(cls, name, arg)

    @property
    def name(self) -> str:
        return self.args[0].name

    def _text_name(self) -> str:
        return self.name

    @property
    def arg(self) -> MatrixExpr:
        return self.args[1]

    @property
    def shape(self) -> tuple:
        return self.arg.shape

    def scalar(self, t: sp.Expr) -> sp.Expr:
        """The scalar function applied to ``t``."""
        return _SCALAR_FUNCTIONS[self.name](t)

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        return self.scalar(self.arg._entry(i, j, **kwargs))

    def _eval_transpose(self) -> "Elementwise":
        return Elementwise(self.args[0], self.arg.T)

    def doit(self, **hints: Any) -> Any:
        # Remembered on the node, and the node itself when its argument is unchanged. Why: SymPy's `@` runs a deep
        # doit on each product it builds, so building f_j = tanh(X (Xᵀ f_{j−1})) walked every layer below the new
        # one (k² steps for k layers), and each walk made fresh equal copies of the layers, which later
        # comparisons had to descend argument by argument (issue 17).
        done = self.__dict__.setdefault("_symml_doit", {})
        key = tuple(sorted(hints.items()))
        if key not in done:
            arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
            if isinstance(arg, sp.MatrixBase):
                done[key] = arg.applyfunc(self.scalar)
            else:
                done[key] = self if arg == self.arg else Elementwise(self.args[0], arg)
        return done[key]


class _OneArgument(MatrixExpr):
    """A matrix expression node with one matrix argument."""

    def __new__(cls, arg: MatrixExpr) -> "_OneArgument":
        return super().__new__(cls, sp.sympify(arg))

    @property
    def arg(self) -> MatrixExpr:
        return self.args[0]


class _Reduction(_Named, _OneArgument):
    """A scalar-valued function of one matrix, as a 1 x 1 matrix expression (so it adds to ``y.T @ X @ w``)."""

    shape = (sp.S.One, sp.S.One)

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        """The scalar value for an explicit matrix argument."""
        raise NotImplementedError

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        return self.value(self.arg.as_explicit())

    def _eval_transpose(self) -> "_Reduction":
        return self

    def doit(self, **hints: Any) -> Any:
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        if isinstance(arg, sp.MatrixBase):
            return sp.ImmutableMatrix([[self.value(arg)]])
        return self.func(arg)


class EntrySum(_Reduction):
    """The sum of all entries of a matrix, 1^T A 1."""

    def _text_name(self) -> str:
        return "sum"

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        return builtins.sum(explicit)


class Tr(_Reduction):
    """The trace of a square matrix, as a 1 x 1 matrix expression."""

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        return explicit.trace()


class Det(_Reduction):
    """The determinant of a square matrix, as a 1 x 1 matrix expression."""

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        return explicit.det()


class LogDet(_Reduction):
    """log det A of a square matrix with positive determinant (covariances, precisions)."""

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        return sp.log(explicit.det())


class LogSumExp(_Reduction):
    """log sum exp over all entries of a matrix or vector."""

    def value(self, explicit: sp.MatrixBase) -> sp.Expr:
        return sp.log(builtins.sum(sp.exp(entry) for entry in explicit))


class _AlongAxis(_Named, MatrixExpr):
    """A node of one matrix and an axis: 0 works down each column, 1 along each row (as in NumPy)."""

    def __new__(cls, arg: MatrixExpr, axis: int = 0) -> "_AlongAxis":
        return super().__new__(cls, sp.sympify(arg), sp.Integer(axis))

    @property
    def arg(self) -> MatrixExpr:
        return self.args[0]

    @property
    def axis(self) -> int:
        return int(self.args[1])

    def _lines(self, explicit: sp.MatrixBase, i: Any, j: Any) -> list:
        """The entries that share the line (column for axis 0, row for axis 1) of entry (i, j)."""
        return list(explicit[:, j]) if self.axis == 0 else list(explicit[i, :])

    def doit(self, **hints: Any) -> Any:
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        node = self.func(arg, self.axis)
        return node.as_explicit() if isinstance(arg, sp.MatrixBase) else node


class Softmax(_AlongAxis):
    """softmax along an axis: exp(a_ij) / sum of exp over the column (axis 0) or row (axis 1); shape kept."""

    @property
    def shape(self) -> tuple:
        return self.arg.shape

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        explicit = self.arg.as_explicit()
        return sp.exp(explicit[i, j]) / builtins.sum(sp.exp(entry) for entry in self._lines(explicit, i, j))


class LogSumExpAlong(_AlongAxis):
    """log-sum-exp down each column (axis 0, shape (1, cols)) or along each row (axis 1, shape (rows, 1))."""

    def _text_name(self) -> str:
        return f"logsumexp_{'cols' if self.axis == 0 else 'rows'}"

    @property
    def shape(self) -> tuple:
        rows, cols = self.arg.shape
        return (sp.S.One, cols) if self.axis == 0 else (rows, sp.S.One)

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        explicit = self.arg.as_explicit()
        line = self._lines(explicit, 0 if self.axis == 0 else i, j if self.axis == 0 else 0)
        return sp.log(builtins.sum(sp.exp(entry) for entry in line))


# --- constructors ---------------------------------------------------------------------------------------
def _elementwise(name: str, A: Any) -> Any:
    if is_matrix(A):
        return Elementwise(name, A)
    return _SCALAR_FUNCTIONS[name](sp.sympify(A))


def exp(A: Any) -> Any:
    """Elementwise exponential (shape kept); the scalar exp on a scalar."""
    return _elementwise("exp", A)


def log(A: Any) -> Any:
    """Elementwise natural logarithm (shape kept); the scalar log on a scalar.

    Written-out forms of the stable functions are read as them: log(1 + exp(U)) (the logistic loss as users write
    it) is softplus(U), log(sum(exp(U))) is logsumexp(U) and log(exp(U)/sum(exp(U))) is U − logsumexp(U): the same
    functions, whose values and derivatives NumPy then evaluates without overflow (the log's own quotient
    e^u/(e^{2u} + 2e^u + 1) is nan at u = 800).

    >>> log(sum(exp(vector("z", 3))))
    logsumexp(z)
    """
    if isinstance(A, Elementwise) and A.name == "exp":  # log(exp(U)) = U: the softmax's numerator
        return A.arg
    if isinstance(A, EntrySum) and isinstance(A.arg, Elementwise) and A.arg.name == "exp":
        return logsumexp(A.arg.arg)
    if isinstance(A, sp.MatMul) and isinstance(A.args[-1], sp.Inverse) and A.args[-1].shape == (1, 1):
        # log(B s⁻¹) = log B − 1 log s for a 1 x 1 s: the written-out log-softmax log(exp(U)/sum(exp(U)))
        # becomes U − 1 logsumexp(U), finite at logits of 1e3 (its gradient was nan there)
        rest = sp.MatMul(*A.args[:-1]).doit() if len(A.args) > 2 else A.args[0]
        if is_matrix(rest):
            spread = sp.OneMatrix(A.shape[0], 1) * log(A.args[-1].arg)
            return log(rest) - (spread if A.shape[1] == 1 else spread * sp.OneMatrix(1, A.shape[1]))
    exponent = _exponent_beside_one(A)
    return _elementwise("log", A) if exponent is None else _elementwise("softplus", exponent)


def _exponent_beside_one(A: Any) -> Any:
    """U when A is 1 + exp(U) entrywise (the 1 a matrix of ones, or I for 1 x 1), else None."""
    if not isinstance(A, sp.MatAdd) or len(A.args) != 2:
        return None
    ones = {sp.OneMatrix(*A.shape), *((sp.Identity(1),) if A.shape == (1, 1) else ())}
    exponentials = [term for term in A.args if isinstance(term, Elementwise) and term.name == "exp"]
    if len(exponentials) != 1 or not any(term in ones for term in A.args):
        return None
    return exponentials[0].arg


def sigmoid(A: Any) -> Any:
    """Elementwise logistic function sigma(t) = 1/(1 + exp(-t)) (shape kept)."""
    return _elementwise("sigmoid", A)


def softplus(A: Any) -> Any:
    """Elementwise softplus(t) = log(1 + exp(t)) (shape kept)."""
    return _elementwise("softplus", A)


def tanh(A: Any) -> Any:
    """Elementwise hyperbolic tangent (shape kept)."""
    return _elementwise("tanh", A)


def abs(A: Any) -> Any:  # noqa: A001 - the public name mirrors numpy's
    """Elementwise absolute value (shape kept); differentiated with the subgradient sign(t), sign(0) = 0."""
    return _elementwise("abs", A)


def relu(A: Any) -> Any:
    """Elementwise max(t, 0) (shape kept); differentiated with the subgradient H(t), H(0) = 0."""
    return _elementwise("relu", A)


def maximum(A: Any, B: Any) -> Any:
    """Elementwise max(A, B) = B + relu(A − B) (equal shapes, or scalars); differentiated with the subgradient
    that takes the derivative of B where A = B.

    >>> maximum(vector("a", 3), vector("b", 3)).shape
    (3, 1)
    """
    if is_matrix(A) and is_matrix(B) and A.shape != B.shape:
        raise ShapeError(f"maximum needs equal shapes; got {A.shape} and {B.shape}")
    return B + relu(A - B)


def power(A: Any, p: Any) -> Any:
    """Elementwise power A^(circ p) (shape kept); the scalar power on a scalar.

    >>> power(vector("v", 3), 2).shape
    (3, 1)
    """
    p = sp.sympify(p)
    if is_matrix(A):
        if p == 0:
            return sp.OneMatrix(*A.shape)
        return A if p == 1 else HadamardPower(A, p)
    return sp.sympify(A) ** p


def sqrt(A: Any) -> Any:
    """Elementwise square root (shape kept)."""
    return power(A, sp.S.Half)


def sum(A: Any) -> Any:  # noqa: A001 - the public name mirrors numpy's
    """The sum of all entries of a matrix or vector: a scalar (1 x 1 matrix expression).

    >>> sum(vector("v", 4)).shape
    (1, 1)
    """
    return EntrySum(A) if is_matrix(A) else sp.sympify(A)


def mean(A: Any) -> Any:
    """The mean of all entries of a matrix or vector: sum(A) / (rows * cols)."""
    if not is_matrix(A):
        return sp.sympify(A)
    rows, cols = A.shape
    return EntrySum(A) / (rows * cols)


def trace(A: Any) -> Tr:
    """The trace of a square matrix: a scalar (1 x 1 matrix expression)."""
    return Tr(_square(A, "trace"))


def det(A: Any) -> Det:
    """The determinant of a square matrix: a scalar (1 x 1 matrix expression)."""
    return Det(_square(A, "det"))


def logdet(A: Any) -> LogDet:
    """log det A of a square matrix with positive determinant: a scalar (1 x 1 matrix expression)."""
    return LogDet(_square(A, "logdet"))


def inv(A: Any) -> sp.Inverse:
    """The inverse of a square matrix."""
    return sp.Inverse(_square(A, "inv"))


def diag(v: Any) -> MatrixExpr:
    """diag(v): the diagonal matrix with the column vector v on its diagonal, shape (n, n).

    A square matrix gives the column vector of its diagonal instead (as numpy.diag does).

    >>> diag(vector("v", 3)).shape
    (3, 3)
    """
    v = _matrix_arg(v, "diag")
    if v.shape[1] == 1:
        return DiagMatrix(v)
    if v.shape[0] == v.shape[1]:
        return DiagonalOf(v)
    raise ShapeError(f"diag needs a column vector or a square matrix; {v} has shape {v.shape}")


def hadamard(A: Any, B: Any) -> HadamardProduct:
    """The elementwise (Hadamard) product A ⊙ B of two matrices of the same shape."""
    A, B = _matrix_arg(A, "hadamard"), _matrix_arg(B, "hadamard")
    if A.shape != B.shape:
        raise ShapeError(f"hadamard needs equal shapes; got {A.shape} and {B.shape}")
    return HadamardProduct(A, B)


def kron(A: Any, B: Any) -> KroneckerProduct:
    """The Kronecker product A ⊗ B."""
    return KroneckerProduct(_matrix_arg(A, "kron"), _matrix_arg(B, "kron"))


def sq_norm(A: Any) -> MatrixExpr:
    """The squared Euclidean (vector) or Frobenius (matrix) norm: v^T v, or tr(A^T A).

    >>> sq_norm(vector("w", 3))
    w.T*w
    """
    A = _matrix_arg(A, "sq_norm")
    return A.T @ A if A.shape[1] == 1 else Tr(A.T @ A)


#: The norm orders given by name (``norm(A, "fro")``): the only strings the CLI's expressions may contain.
NAMED_NORM_ORDERS = ("fro",)


def norm(A: Any, ord: Any = 2) -> MatrixExpr:  # noqa: A002 - numpy's name for the argument
    """The L1 (ord=1, vectors), Euclidean (ord=2, vectors) or Frobenius (ord="fro") norm: a scalar.

    ``ord=1`` and ``ord=2`` of a matrix would be induced (operator) norms, which are not differentiable
    in this engine; use ``sum(abs(A))`` or ``norm(A, "fro")`` instead.
    """
    A = _matrix_arg(A, "norm")
    is_vector = A.shape[1] == 1
    if ord in NAMED_NORM_ORDERS or (ord == 2 and is_vector):  # "fro"
        return power(sq_norm(A), sp.S.Half)
    if ord == 1 and is_vector:
        return EntrySum(Elementwise("abs", A))
    if ord in (1, 2):
        raise UnsupportedOperationError(
            f"norm(A, {ord}) of a matrix is an induced norm, which symml does not differentiate; "
            "use sum(abs(A)) for the entrywise L1 norm or norm(A, 'fro')"
        )
    raise UnsupportedOperationError(f"norm order {ord!r} is not supported; use 1, 2 or 'fro'")


def _axis(axis: Any, what: str) -> int:
    if axis not in (0, 1):
        raise ShapeError(f"{what} takes axis 0 (down each column) or 1 (along each row), not {axis!r}")
    return int(axis)


def softmax(A: Any, axis: int = 0) -> Softmax:
    """softmax of a column vector (shape (k, 1)), or of a matrix down each column (axis=0) or along each row
    (axis=1); the shape is kept.

    >>> softmax(matrix("Z", 5, 3), axis=1).shape
    (5, 3)
    """
    A = _matrix_arg(A, "softmax")
    return Softmax(A, _axis(axis, "softmax"))


def logsumexp(A: Any, axis: int | None = None) -> MatrixExpr:
    """log-sum-exp: of all entries (axis=None, a scalar, 1 x 1), down each column (axis=0, shape (1, cols))
    or along each row (axis=1, shape (rows, 1)). Stable in the NumPy export (shifted by the maximum).

    >>> logsumexp(matrix("Z", 5, 3), axis=1).shape
    (5, 1)
    """
    A = _matrix_arg(A, "logsumexp")
    if axis is None:
        return LogSumExp(A)
    return LogSumExpAlong(A, _axis(axis, "logsumexp"))
