"""strideplan: strength, power and mobility placed around a runner's week, with CP-SAT."""

__version__ = "0.1.0"
