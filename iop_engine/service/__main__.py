"""`python -m iop_engine.service` is `iop serve`, for where the `iop` command is not registered."""

from iop_engine.service.cli import serve

if __name__ == "__main__":
    serve()
