"""The local stack's one error: it cannot start (a port in use, a Stripe key it refuses,
a template function it cannot load)."""


class StackError(RuntimeError):
    pass
