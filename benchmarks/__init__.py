"""Throughput benchmarks of the course's CNN (pytest-benchmark) and their report."""
