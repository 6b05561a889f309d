"""Packbench: configure and watch smart battery-management boards."""

__version__ = "0.1.0"
