"""The released version; read by the build backend and by ``hooksig.__version__``."""

__version__ = "0.1.0.dev0"
