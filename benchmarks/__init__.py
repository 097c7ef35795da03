"""Benchmarks and the synthetic corpus; a package so worker processes can import stand-ins from it."""
